namespace Paygo.Core.Common;

/// <summary>One problem with one field of a request, named by its JSON path (e.g. <c>country</c>).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// What kind of failure an <see cref="ApiError"/> is, in domain terms. The server maps each kind
/// to its HTTP status in one place (Paygo.Server's ErrorStatus); Core knows no HTTP (docs/adr/0019).
/// </summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or breaks a rule (Partner Center answers 400).</summary>
    Invalid,

    /// <summary>No valid credentials (401).</summary>
    Unauthenticated,

    /// <summary>The caller's roles, organisation or agreements do not allow it (403).</summary>
    Forbidden,

    /// <summary>No such resource, or one the caller may not see (404).</summary>
    NotFound,

    /// <summary>The state of the data forbids it: a duplicate, an ordered cart, a reused request id (409).</summary>
    Conflict,

    /// <summary>The caller's ETag is stale (412).</summary>
    PreconditionFailed,

    /// <summary>Paygo cannot serve it right now (503).</summary>
    Unavailable,

    /// <summary>The resource existed and has expired, such as an export's manifest (410).</summary>
    Gone,
}

/// <summary>
/// An expected failure, returned as a value: its <see cref="Kind"/> and Partner Center's error
/// body fields (<c>code</c>, <c>description</c>, <c>data</c>; the server adds <c>source</c>).
/// </summary>
public sealed record ApiError(ErrorKind Kind, int Code, string Description, IReadOnlyList<FieldError> Data)
{
    public ApiError(ErrorKind kind, int code, string description)
        : this(kind, code, description, [])
    {
    }

    /// <summary>Invalid with code 3000 (Partner Center's "Invalid property") listing every bad field.</summary>
    public static ApiError InvalidFields(IReadOnlyList<FieldError> fields)
    {
        var description = fields.Count == 1
            ? fields[0].Message
            : $"{fields.Count} fields are invalid: {string.Join(" ", fields.Select(f => f.Message))}";
        return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidProperty, description, fields);
    }

    public static ApiError InvalidField(string field, string message) => InvalidFields([new FieldError(field, message)]);

    public static ApiError NotFound(string description) => new(ErrorKind.NotFound, ErrorCodes.NotFound, description);

    public static ApiError NotFound(int code, string description) => new(ErrorKind.NotFound, code, description);

    /// <summary>The caller's roles or organisation do not allow the operation (code 403 unless a more precise one is given).</summary>
    public static ApiError Forbidden(string description) => new(ErrorKind.Forbidden, ErrorCodes.Forbidden, description);

    public static ApiError Forbidden(int code, string description) => new(ErrorKind.Forbidden, code, description);

    public static ApiError Conflict(int code, string description, IReadOnlyList<FieldError>? data = null) => new(ErrorKind.Conflict, code, description, data ?? []);
}

/// <summary>The error body exactly as it goes on the wire.</summary>
public sealed record ErrorBody(int Code, string Description, IReadOnlyList<FieldError> Data, string Source)
{
    public const string PaygoSource = "Paygo";

    public static ErrorBody From(ApiError error) => new(error.Code, error.Description, error.Data, PaygoSource);
}
