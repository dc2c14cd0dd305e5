using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Paygo.Core.Common;
using Paygo.Core.Users;
using Scalar.AspNetCore;

namespace Paygo.Server.Api;

/// <summary>
/// The conventions of every <c>/v1</c> route in one place (DOMAIN.md §9): Partner Center's error
/// body for every failure, <c>MS-CorrelationId</c> echo, a body-size limit, per-partner rate
/// limits with <c>Retry-After</c>, and the JSON settings.
/// </summary>
public static partial class ApiConventions
{
    public const string CorrelationIdHeader = "MS-CorrelationId";
    public const string RequestIdHeader = "MS-RequestId";

    public static IServiceCollection AddPaygoApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.ConfigureHttpJsonOptions(o => PaygoJson.Configure(o.SerializerOptions));

        // Binding failures (malformed JSON, wrong content type) become exceptions that the one
        // exception handler turns into the error body naming the problem.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddOpenApi();

        services.AddPaygoRateLimits(configuration);
        return services;
    }

    public static WebApplication UsePaygoApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = HandleExceptionAsync,
            AllowStatusCode404Response = true,

            // The middleware would log every handled exception at Error with its stack trace, so
            // each malformed JSON body from a client would page the operator like a real failure.
            // Bad client input and abandoned requests are logged by HandleExceptionAsync at
            // Information, without a stack trace; real failures keep the middleware's Error entry.
            SuppressDiagnosticsCallback = static c => IsClientFault(c.Exception, c.HttpContext),
        });
        app.UseStatusCodePages(WriteStatusCodeBodyAsync);
        app.Use(EchoCorrelationAndLimitBodyAsync);
        return app;
    }

    /// <summary>The OpenAPI document at /openapi/v1.json and the API reference page at /scalar/v1.</summary>
    public static WebApplication MapPaygoOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi().DisableRateLimiting().AllowAnonymous();
        // Scalar's default fonts come from its CDN, which the Content Security Policy does not allow (docs/adr/0014).
        app.MapScalarApiReference(o => o.WithTitle("Paygo API").DisableDefaultFonts()).DisableRateLimiting().AllowAnonymous();
        return app;
    }

    private static Task EchoCorrelationAndLimitBodyAsync(HttpContext context, Func<Task> next)
    {
        // Echo the caller's correlation id, or give the request one, so every answer (and every
        // 500 body) carries an id to quote.
        // Only printable ASCII is echoed: Kestrel refuses to write any other response header
        // value, which turned a correlation id such as "café" into a 500 on every route.
        var correlationId = context.Request.Headers[CorrelationIdHeader].ToString();
        if (!IsEchoable(correlationId))
        {
            correlationId = Guid.NewGuid().ToString();
        }

        context.Response.Headers[CorrelationIdHeader] = correlationId;

        var requestId = context.Request.Headers[RequestIdHeader].ToString();
        if (IsEchoable(requestId))
        {
            context.Response.Headers[RequestIdHeader] = requestId;
        }

        // File imports declare their own, larger limit on the endpoint (UploadLimit); everything else gets the API's.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<UploadLimit>()?.Bytes
            ?? context.RequestServices.GetRequiredService<RateLimitSettings>().MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return ErrorWriter.WriteAsync(context, TooLarge(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var logger = RequestLogger(context);
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId, ["RequestId"] = requestId }))
        {
            return next();
        }
    }

    // The rule of IdempotentCreates.ValidateRequestId: 1 to 100 printable ASCII characters, no spaces.
    private static bool IsEchoable(string value) =>
        value.Length is > 0 and <= IdempotentCreates.MaxRequestIdLength && !value.AsSpan().ContainsAnyExceptInRange('!', '~');

    private static WireError TooLarge(long limit) =>
        new(413, ErrorCodes.PayloadTooLarge, $"The request body is larger than the {limit} bytes Paygo accepts on this route.");

    /// <summary>Unknown route, wrong method and other empty failures get the error body, never HTML.</summary>
    private static Task WriteStatusCodeBodyAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var error = http.Response.StatusCode switch
        {
            401 => WireError.From(new ApiError(ErrorKind.Unauthenticated, ErrorCodes.Unauthorized, "A valid bearer token is required.")),
            403 => WireError.From(ApiError.Forbidden("Your roles do not allow this operation.")),
            404 => WireError.From(ApiError.NotFound($"No resource at {request.Method} {request.Path}.")),
            405 => new WireError(405, ErrorCodes.MethodNotAllowed, $"The method {request.Method} is not allowed on {request.Path}."),
            406 => new WireError(406, ErrorCodes.NotAcceptable, "Paygo answers this route with application/json only."),
            413 => TooLarge(http.RequestServices.GetRequiredService<RateLimitSettings>().MaxRequestBodyBytes),
            415 => new WireError(415, ErrorCodes.UnsupportedMediaType, "The request body must be JSON with Content-Type: application/json."),
            503 => WireError.From(new ApiError(ErrorKind.Unavailable, ErrorCodes.ServiceUnavailable, "Paygo is not ready to serve requests.")),
            >= 500 => new WireError(http.Response.StatusCode, ErrorCodes.UnexpectedServiceError, "An unexpected error occurred."),
            var status => new WireError(status, ErrorCodes.InvalidRequestInput, $"The request failed with HTTP status {status}."),
        };
        return ErrorWriter.WriteAsync(http, error);
    }

    private static async Task HandleExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        WireError error;
        if (exception is BadHttpRequestException bad)
        {
            error = bad.StatusCode switch
            {
                413 => TooLarge(context.RequestServices.GetRequiredService<RateLimitSettings>().MaxRequestBodyBytes),
                415 => new WireError(415, ErrorCodes.UnsupportedMediaType, "The request body must be JSON with Content-Type: application/json."),
                _ => new WireError(bad.StatusCode, ErrorCodes.InvalidRequestInput, DescribeBadRequest(bad)),
            };
            var logger = RequestLogger(context);
            LogClientFault(logger, context.Request.Method, context.Request.Path.Value ?? "/", error.Status, error.Description);
        }
        else if (exception is OperationForbiddenException)
        {
            // Core's own role check (docs/adr/0020) refused what the route policy let through.
            error = WireError.From(OperationForbiddenException.Error);
        }
        else if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        else
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Paygo.Errors");
            LogUnexpected(logger, exception, context.Request.Method, context.Request.Path);
            error = new WireError(500, ErrorCodes.UnexpectedServiceError,
                $"An unexpected error occurred. Quote correlation id '{context.Response.Headers[CorrelationIdHeader]}' to the operator.");
        }

        await ErrorWriter.WriteAsync(context, error);
    }

    /// <summary>A request the client got wrong (or gave up on) is no failure of the server.</summary>
    private static bool IsClientFault(Exception exception, HttpContext context) =>
        exception is BadHttpRequestException || (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested);

    private static ILogger RequestLogger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Paygo.Requests");

    /// <summary>Names what is wrong with the body: JSON syntax with its position, or the field of the wrong type.</summary>
    private static string DescribeBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "the body" : $"field '{json.Path.TrimStart('$', '.')}'";
            var position = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : string.Empty;
            var reason = json.Message.Split(" Path:", 2)[0];
            return $"The request body is not valid JSON at {field}{position}: {reason}";
        }

        if (bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
            || bad.Message.Contains("was not provided from body", StringComparison.OrdinalIgnoreCase))
        {
            return "The request body is required: a JSON object.";
        }

        return bad.Message;
    }

    // No exception and no stack trace: the description already says what the client sent wrong.
    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} with {Status}: {Description}")]
    private static partial void LogClientFault(ILogger logger, string method, string path, int status, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception? exception, string method, string path);
}

/// <summary>Endpoint metadata: this route takes files up to <see cref="Bytes"/> (price lists reach hundreds of MB).</summary>
public sealed record UploadLimit(long Bytes)
{
    /// <summary>The default for file imports: 1 GiB.</summary>
    public static UploadLimit Files { get; } = new(1L << 30);
}
