using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Paygo.Server.Hosting;

/// <summary>
/// Headers every response carries, pages and API alike (docs/adr/0014): a Content Security
/// Policy that allows only Paygo's own scripts (Blazor, Fluent UI's modules, passkeys.js) and no
/// framing, <c>nosniff</c>, a referrer policy that keeps paths and codes in the address bar from
/// leaking to other sites, and HSTS on https.
/// </summary>
public static partial class SecurityHeaders
{
    /// <summary>
    /// Scripts only from this origin, none inline; inline styles are allowed because Fluent UI's
    /// components and Blazor set <c>style</c> attributes in their markup, which carries no code.
    /// Images may be data: URLs (Fluent's icons). Forms may post here, and the sign-in's
    /// redirects may end at the CLI's loopback address (RFC 8252), which form-action also governs.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' http://127.0.0.1:*; frame-ancestors 'none'";

    /// <summary>A year, the usual HSTS age; without includeSubDomains, since Paygo does not own its host's siblings.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    private const string PolicyItem = "paygo.csp";

    public static WebApplication UsePaygoSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            // Set as the response starts, so error responses (whose headers the framework
            // clears and rewrites) carry them too.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = http.Items[PolicyItem] as string ?? ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.XFrameOptions = "DENY";
                if (http.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                }

                return Task.CompletedTask;
            }, context);

            if (context.Request.Path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase))
            {
                await AllowInlineScriptsByHashAsync(context, next);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>
    /// The API reference (Scalar) starts itself with one inline module script, whose text depends
    /// on the document's address; rather than 'unsafe-inline', its page's policy names the SHA-256
    /// of each inline script the page actually has.
    /// </summary>
    private static async Task AllowInlineScriptsByHashAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var hashes = InlineScript().Matches(html)
                .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'");
            context.Items[PolicyItem] = ContentSecurityPolicy.Replace("script-src 'self'", string.Join(' ', ["script-src 'self'", .. hashes]), StringComparison.Ordinal);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
