using System.Text.Json;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>
/// Writes <c>&lt;data dir&gt;/demo-credentials.json</c> for a demo instance: every demo user's
/// e-mail, password, roles and TOTP secret, and the demo app credential. Never written for a
/// production instance, which seeds no users (docs/adr/0006).
/// </summary>
internal static class DemoCredentials
{
    public const string FileName = "demo-credentials.json";

    private static readonly JsonSerializerOptions Indented = new(PaygoJson.Options) { WriteIndented = true };

    public static async Task WriteAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var document = new
        {
            Note = "Demo instance only. Add each totpSecret to an authenticator app, or compute codes with any RFC 6238 tool.",
            Users = DemoUsers.All.Select(u => new
            {
                u.Email,
                Password = DemoUsers.Password,
                Roles = u.Roles.Select(PartnerRoles.ToWire),
                Organisation = u.PartnerId?.ToString() ?? TenantNames.Operator,
                u.TotpSecret,
            }),
            App = new
            {
                ClientId = DemoUsers.AppClientId,
                ClientSecret = DemoUsers.AppClientSecret,
                Scopes = DemoUsers.AppScopes,
            },
        };
        var path = Path.Combine(dataDirectory, FileName);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Indented), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
