using System.Text.Json;
using OpenIddict.Abstractions;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Paygo.Server.Identity;

/// <summary>The OAuth clients every instance has (<c>paygo-cli</c>) and the demo's app credential.</summary>
internal static class OAuthClients
{
    public const string CliClientId = "paygo-cli";
    public const string TenantProperty = "paygo_tenant";
    public const string CliRedirectUri = "http://127.0.0.1/callback";

    public static async Task EnsureAsync(IOpenIddictApplicationManager applications, AuthSettings settings, bool demo, CancellationToken cancellationToken)
    {
        var cli = new OpenIddictApplicationDescriptor
        {
            ClientId = CliClientId,
            ClientType = ClientTypes.Public,

            // A native app: its loopback redirect may use whatever port it got (RFC 8252 §7.3).
            ApplicationType = ApplicationTypes.Native,
            DisplayName = "paygo command line",
            RedirectUris = { new Uri(CliRedirectUri) },
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.DeviceAuthorization,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.DeviceCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        if (settings.AllowPasswordGrant)
        {
            cli.Permissions.Add(Permissions.GrantTypes.Password);
        }

        await UpsertAsync(applications, cli, cancellationToken);

        if (demo)
        {
            var app = new OpenIddictApplicationDescriptor
            {
                ClientId = DemoUsers.AppClientId,
                ClientSecret = DemoUsers.AppClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Demo feed (meter and access source)",
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };

            // The demo plays both sources DOMAIN.md §2 and §4 give an app credential: the metering
            // source (usage.write) and the access source, whose bulk access CSV needs access.write.
            foreach (var scope in DemoUsers.AppScopes)
            {
                app.Permissions.Add(Permissions.Prefixes.Scope + scope);
            }

            app.Properties[TenantProperty] = JsonSerializer.SerializeToElement(TenantNames.Operator);

            // Upserted, so a demo data directory made before a scope was added gets it on the next start.
            await UpsertAsync(applications, app, cancellationToken);
        }
    }

    private static async Task UpsertAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }
}
