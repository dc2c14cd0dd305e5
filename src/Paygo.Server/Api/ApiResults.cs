using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Paygo.Core.Common;

namespace Paygo.Server.Api;

/// <summary>Serves an <see cref="ApiError"/> as Partner Center's error body with its status.</summary>
public sealed class ApiErrorResult(ApiError error) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public ApiError Error { get; } = error;

    public int? StatusCode => Error.HttpStatus;

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
/// Serves a create's stored response byte for byte, so the first answer and every replay of
/// the same <c>MS-RequestId</c> are identical.
/// </summary>
public sealed class StoredJsonResult(StoredResponse response) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => response.StatusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = response.StatusCode;
        if (response.Location is not null)
        {
            httpContext.Response.Headers.Location = response.Location;
        }

        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await httpContext.Response.WriteAsync(response.Body, httpContext.RequestAborted);
    }
}

public static class ApiResults
{
    public static ApiErrorResult Error(ApiError error) => new(error);

    /// <summary>The result of an idempotent create: its stored response, or its error.</summary>
    public static IResult From(CreateOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Error is not null ? new ApiErrorResult(outcome.Error) : new StoredJsonResult(outcome.Response!);
    }
}

/// <summary>Writes the error body; the one place its JSON is produced.</summary>
public static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext httpContext, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(error);
        httpContext.Response.StatusCode = error.HttpStatus;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(httpContext.Response.Body, ErrorBody.From(error), PaygoJson.Options, httpContext.RequestAborted);
    }
}
