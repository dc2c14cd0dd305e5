namespace Paygo.Core.Common;

/// <summary>One problem with one field of a request, named by its JSON path (e.g. <c>country</c>).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// An expected failure, returned as a value and served as Partner Center's error body
/// (<c>code</c>, <c>description</c>, <c>data</c>, <c>source</c>) with <see cref="HttpStatus"/>.
/// </summary>
public sealed record ApiError(int HttpStatus, int Code, string Description, IReadOnlyList<FieldError> Data)
{
    public ApiError(int httpStatus, int code, string description)
        : this(httpStatus, code, description, [])
    {
    }

    /// <summary>400 with code 3000 (Partner Center's "Invalid property") listing every bad field.</summary>
    public static ApiError InvalidFields(IReadOnlyList<FieldError> fields)
    {
        var description = fields.Count == 1
            ? fields[0].Message
            : $"{fields.Count} fields are invalid: {string.Join(" ", fields.Select(f => f.Message))}";
        return new ApiError(400, ErrorCodes.InvalidProperty, description, fields);
    }

    public static ApiError InvalidField(string field, string message) => InvalidFields([new FieldError(field, message)]);

    public static ApiError NotFound(string description) => new(404, ErrorCodes.NotFound, description);

    public static ApiError NotFound(int code, string description) => new(404, code, description);

    /// <summary>The caller's roles or organisation do not allow the operation (code 403 unless a more precise one is given).</summary>
    public static ApiError Forbidden(string description) => new(403, ErrorCodes.Forbidden, description);

    public static ApiError Forbidden(int code, string description) => new(403, code, description);

    public static ApiError Conflict(int code, string description, IReadOnlyList<FieldError>? data = null) => new(409, code, description, data ?? []);
}

/// <summary>The error body exactly as it goes on the wire.</summary>
public sealed record ErrorBody(int Code, string Description, IReadOnlyList<FieldError> Data, string Source)
{
    public const string PaygoSource = "Paygo";

    public static ErrorBody From(ApiError error) => new(error.Code, error.Description, error.Data, PaygoSource);
}
