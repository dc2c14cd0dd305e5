using System.Security.Cryptography;
using System.Text;
using Paygo.Core.Common;
using Paygo.Server.Api;

namespace Paygo.Server.Hosting;

/// <summary>
/// Who may read <c>/metrics</c> (docs/adr/0014): nobody unless a scrape token is configured
/// (<c>--metrics-token</c>, env <c>PAYGO_METRICS_TOKEN</c>); then Prometheus sends it as
/// <c>Authorization: Bearer &lt;token&gt;</c>. The counters tell an outsider how busy each route
/// is and what fails, so they are not for anonymous callers on the public port.
/// </summary>
public sealed record MetricsAccess(string? Token)
{
    public const string Path = "/metrics";

    public bool Enabled => Token is not null;

    public static MetricsAccess Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var token = configuration["metrics-token"];
        if (string.IsNullOrWhiteSpace(token))
        {
            token = configuration["PAYGO_METRICS_TOKEN"];
        }

        return new MetricsAccess(string.IsNullOrWhiteSpace(token) ? null : token.Trim());
    }

    /// <summary>Whether the request carries the scrape token, compared in constant time.</summary>
    public bool Allows(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string prefix = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        if (Token is null || !header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(Token)));
    }

    /// <summary>The branch in front of the exporter: a request without the token gets 401 and Paygo's error body.</summary>
    internal void RequireToken(IApplicationBuilder branch) => branch.Use(async (context, next) =>
    {
        if (!Allows(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiResults.Error(new ApiError(ErrorKind.Unauthenticated, ErrorCodes.Unauthorized, "The metrics need the scrape token (--metrics-token) as a bearer token.")).ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
