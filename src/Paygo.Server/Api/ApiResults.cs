using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Paygo.Core.Common;

namespace Paygo.Server.Api;

/// <summary>The HTTP status of each kind of Core error: the one place a Core outcome becomes a status (docs/adr/0019).</summary>
public static class ErrorStatus
{
    public static int Of(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An error kind without an HTTP status."),
    };
}

/// <summary>
/// An error as it goes on the wire: a status and Partner Center's body. Core errors become one
/// through <see cref="From"/>; HTTP-only failures that no Core service produces (405, 406, 413,
/// 415, 429, 500, a status the pipeline set) are made here directly.
/// </summary>
public sealed record WireError(int Status, int Code, string Description, IReadOnlyList<FieldError> Data)
{
    public WireError(int status, int code, string description)
        : this(status, code, description, [])
    {
    }

    public static WireError From(ApiError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(ErrorStatus.Of(error.Kind), error.Code, error.Description, error.Data);
    }
}

/// <summary>Serves an <see cref="ApiError"/> as Partner Center's error body with its status.</summary>
public sealed class ApiErrorResult(ApiError error) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public ApiError Error { get; } = error;

    public int? StatusCode => ErrorStatus.Of(Error.Kind);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return ErrorWriter.WriteAsync(httpContext, Error);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in new[] { 400, 404, 409, 429 })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ErrorBody), ["application/json"]));
        }
    }
}

/// <summary>
/// Serves a created resource: 201, its <c>Location</c>, and its JSON with PaygoJson.Options and
/// its runtime type, exactly as IdempotentCreates stored it, so the first answer and every
/// replay of the same <c>MS-RequestId</c> are byte-identical.
/// </summary>
public sealed class CreatedJsonResult<T>(Created<T> created) : IResult, IStatusCodeHttpResult
    where T : class
{
    public int? StatusCode => StatusCodes.Status201Created;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status201Created;
        if (created.Location is not null)
        {
            httpContext.Response.Headers.Location = created.Location;
        }

        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(httpContext.Response.Body, created.Resource, created.Resource.GetType(), PaygoJson.Options, httpContext.RequestAborted);
    }
}

public static class ApiResults
{
    public static ApiErrorResult Error(ApiError error) => new(error);

    /// <summary>The result of an idempotent create: the created resource, or its error.</summary>
    public static IResult From<T>(Result<Created<T>> outcome)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Error is not null ? new ApiErrorResult(outcome.Error) : new CreatedJsonResult<T>(outcome.Value!);
    }
}

/// <summary>Writes the error body; the one place its JSON is produced.</summary>
public static class ErrorWriter
{
    public static Task WriteAsync(HttpContext httpContext, ApiError error) => WriteAsync(httpContext, WireError.From(error));

    public static async Task WriteAsync(HttpContext httpContext, WireError error)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(error);
        httpContext.Response.StatusCode = error.Status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(httpContext.Response.Body, new ErrorBody(error.Code, error.Description, error.Data, ErrorBody.PaygoSource), PaygoJson.Options, httpContext.RequestAborted);
    }
}
