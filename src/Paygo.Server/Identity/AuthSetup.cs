using Microsoft.AspNetCore.Authorization;
using Paygo.Core;
using Paygo.Core.Identity;
using Paygo.Server.Api;
using Paygo.Server.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Paygo.Server.Identity;

/// <summary>
/// Sign-in and authorization: OpenIddict issues OAuth 2.0 tokens at <c>/connect/token</c> and
/// validates them on <c>/v1</c>; the dashboard uses a cookie set after password and second
/// factor; every endpoint names one <see cref="ApiOperation"/> (or is on the anonymous allow-list).
/// </summary>
public static class AuthSetup
{
    /// <summary>The API's bearer scheme: OpenIddict's validation behind a cache of validated tokens (<see cref="BearerTicketCache"/>).</summary>
    public const string BearerScheme = CachedBearerHandler.Scheme;
    public const string DashboardScheme = "Paygo.Dashboard";
    public const string SignInScheme = "Paygo.SignIn";
    public const string AutoScheme = "Paygo.Auto";
    public const string DashboardPolicy = "dashboard";
    public const string DashboardOperatorPolicy = "dashboard:operator";
    public const string DashboardUserAdminPolicy = "dashboard:users";

    /// <summary>How long a dashboard session lasts from its sign-in (no sliding renewal).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static WebApplicationBuilder AddPaygoAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = PaygoOptions.Read(builder.Configuration, builder.Environment);
        var settings = AuthSettings.Read(builder.Configuration, options.Demo);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new SignInOptions
        {
            FailureFloor = TimeSpan.FromMilliseconds(Math.Max(0, builder.Configuration.GetValue("Paygo:Auth:FailureFloorMilliseconds", 1000))),
        });

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<PaygoDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris("/connect/token")
                    .SetAuthorizationEndpointUris("/connect/authorize")
                    .SetDeviceAuthorizationEndpointUris("/connect/device")
                    .SetEndUserVerificationEndpointUris("/connect/verify");
                server.AllowClientCredentialsFlow().AllowRefreshTokenFlow()
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowDeviceAuthorizationFlow();

                // PKCE with S256 only: a "plain" challenge is the verifier itself, so whoever sees
                // the authorization request (logs, history, another app) can redeem the code.
                server.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                if (settings.AllowPasswordGrant)
                {
                    server.AllowPasswordFlow();
                }

                server.SetAccessTokenLifetime(TimeSpan.FromMinutes(60));
                server.SetRefreshTokenLifetime(TimeSpan.FromDays(90));

                // Rotation without a grace period: a refresh token works once; reuse revokes its chain.
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                server.RegisterScopes([Scopes.OfflineAccess, .. AppScopes.All]);
                var (signing, encryption) = OAuthKeys.LoadOrCreate(Path.Combine(options.DataDirectory, "keys"));
                server.AddSigningKey(signing).AddEncryptionKey(encryption);

                // Access tokens are signed JWTs (JWS), as Microsoft Entra ID issues them for Partner
                // Center, not encrypted ones: opening a JWE costs an RSA private-key operation on
                // every request (about a millisecond, refused requests included), which alone
                // held the authenticated API near 1,500 req/s on two cores and let one partner's
                // flood slow the others (PROMISES P3, S9). The claims are the caller's own (tenant,
                // roles, amr); nothing in them is secret from the bearer. Refresh tokens, codes and
                // device codes stay encrypted (docs/adr/0018).
                server.DisableAccessTokenEncryption();
                var aspNetCore = server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough();
                if (!settings.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });

        // Bearer tokens for whoever sends one (the API), the cookie for browsers (the dashboard);
        // each policy still names its own scheme, this only decides who the request is early on
        // (the rate limiter buckets by partner).
        builder.Services.AddAuthentication(AutoScheme)
            // (/metrics's bearer is the scrape token, not an OAuth token: MetricsAccess checks it.)
            .AddPolicyScheme(AutoScheme, AutoScheme, policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Path.StartsWithSegments(MetricsAccess.Path, StringComparison.OrdinalIgnoreCase) ? BearerScheme : DashboardScheme)
            .AddCookie(DashboardScheme, cookie =>
            {
                cookie.Cookie.Name = "paygo.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.LoginPath = "/signin";
                cookie.AccessDeniedPath = "/denied";
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.ExpireTimeSpan = SessionLifetime;
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = DashboardSession.ValidateAsync;
            })
            .AddCookie(SignInScheme, cookie =>
            {
                // Holds who passed the password step while the second factor is asked; nothing more.
                cookie.Cookie.Name = "paygo.signin";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                cookie.LoginPath = "/signin";
            });

        // A token validated once is answered from the cache for its remaining life; whether it
        // still stands (revocation, S6) is PermissionHandler's check, on every request.
        builder.Services.Configure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(o =>
            o.AddScheme(BearerScheme, scheme => scheme.HandlerType = typeof(CachedBearerHandler)));
        builder.Services.AddSingleton<BearerTicketCache>();
        builder.Services.AddTransient<CachedBearerHandler>();

        // The session itself lives in the database, so that signing out ends it on the server too.
        builder.Services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(DashboardScheme)
            .Configure<IServiceScopeFactory, TimeProvider>((cookie, scopes, clock) => cookie.SessionStore = new DashboardSessionStore(scopes, clock));

        builder.Services.AddAuthorization(authorization =>
        {
            foreach (var permission in Enum.GetValues<ApiOperation>())
            {
                authorization.AddPolicy(PermissionMatrix.PolicyName(permission), policy => policy
                    .AddAuthenticationSchemes(BearerScheme)
                    .RequireAuthenticatedUser()
                    .AddRequirements(new PermissionRequirement(permission)));
            }

            authorization.AddPolicy(DashboardPolicy, policy => policy
                .AddAuthenticationSchemes(DashboardScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(PaygoClaims.AuthenticationMethod, PaygoClaims.Mfa));
            authorization.AddPolicy(DashboardOperatorPolicy, policy => policy
                .AddAuthenticationSchemes(DashboardScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(PaygoClaims.AuthenticationMethod, PaygoClaims.Mfa)
                .RequireClaim(PaygoClaims.Tenant, TenantNames.Operator));
            authorization.AddPolicy(DashboardUserAdminPolicy, policy => policy
                .AddAuthenticationSchemes(DashboardScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(PaygoClaims.AuthenticationMethod, PaygoClaims.Mfa)
                .RequireClaim(PaygoClaims.Role, nameof(PartnerRole.GlobalAdmin), nameof(PartnerRole.UserManagementAdmin)));
        });
        builder.Services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        builder.Services.AddSingleton(sp => TokenValidityCache.Create(builder.Configuration, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<DashboardSignIn>();

        // Identity's WebAuthn verifier reads users and passkeys through a read-only store; its
        // relying-party id is the host the browser sees unless Paygo:Auth:PasskeyDomain names one
        // (behind a proxy that rewrites the host).
        builder.Services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<PaygoUser>>(PasswordPolicy.CreateHasher());
        builder.Services.AddIdentityCore<PaygoUser>().AddUserStore<PaygoUserStore>();
        builder.Services.Configure<Microsoft.AspNetCore.Identity.IdentityPasskeyOptions>(passkeys => passkeys.ServerDomain = builder.Configuration["Paygo:Auth:PasskeyDomain"]);
        builder.Services.AddScoped<Microsoft.AspNetCore.Identity.IPasskeyHandler<PaygoUser>, Microsoft.AspNetCore.Identity.PasskeyHandler<PaygoUser>>();
        builder.Services.AddScoped<DashboardPasskeys>();
        builder.Services.AddScoped<Paygo.Core.Audit.IActorAccessor, HttpActorAccessor>();
        return builder;
    }

    /// <summary>
    /// Authentication (token decryption: who is calling, for the partner's rate-limit bucket),
    /// then the rate limiter, then authorization with its revocation lookup: a request over its
    /// partner's limit is refused before any database work (PROMISES S9, docs/adr/0018).
    /// </summary>
    public static WebApplication UsePaygoAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UsePaygoRateLimits();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapPaygoAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/connect/token", TokenEndpoint.ExchangeAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], InteractiveEndpoints.AuthorizeAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        // GET /connect/verify is the dashboard's confirmation page (DevicePage); its POST is the
        // approval, which validates the page's antiforgery token and the origin itself, to answer
        // with Paygo's error body (hence no antiforgery metadata); the order puts it before the
        // page's own POST endpoint on the same route.
        app.MapPost("/connect/verify", InteractiveEndpoints.ApproveDeviceAsync).AllowAnonymous().DisableAntiforgery().WithOrder(-1).ExcludeFromDescription();
        return app;
    }

    /// <summary>The policy an endpoint declares: <c>.RequireAuthorization(AuthSetup.Policy(ApiOperation.X))</c>.</summary>
    public static string Policy(ApiOperation permission) => PermissionMatrix.PolicyName(permission);
}
