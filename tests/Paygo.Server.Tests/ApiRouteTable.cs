using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>The server's endpoints as the security tests walk them: every route, and every /v1 route with each of its methods.</summary>
internal static class ApiRouteTable
{
    public static List<RouteEndpoint> Endpoints(PaygoServer server) =>
        [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>Each /v1 route and method, with its pattern as <c>/v1/users/{userId}</c>.</summary>
    public static List<(string Method, string Pattern, RouteEndpoint Endpoint)> ApiRoutes(PaygoServer server) =>
        [.. Endpoints(server)
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e)))];
}
