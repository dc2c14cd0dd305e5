using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>
/// Passkeys (WebAuthn) in the dashboard, as the alternative second factor after the password
/// (DOMAIN.md §2). ASP.NET Core Identity's <see cref="IPasskeyHandler{TUser}"/> builds the browser
/// options and verifies the answers (challenge, origin, relying party, signature, counter); Paygo
/// keeps each ceremony's state in the database so a challenge answers once, counts a failed
/// assertion against the account's lockout slots, and audits the outcome (docs/adr/0011).
/// </summary>
internal sealed class DashboardPasskeys(
    IPasskeyHandler<PaygoUser> handler,
    PasskeyCeremonies ceremonies,
    PasskeyRegistration registration,
    SignInService signIn,
    DashboardSignIn flow)
{
    public async Task<bool> HasPasskeysAsync(PaygoUser user, CancellationToken cancellationToken) =>
        (await registration.ListAsync(user.Id, cancellationToken)).Count > 0;

    public async Task<PasskeyChallenge> BeginSignInAsync(HttpContext context, PaygoUser user)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = await handler.MakeRequestOptionsAsync(user, context);
        var id = await ceremonies.StartAsync(user.Id, PasskeyCeremonies.SignIn, options.AssertionState ?? string.Empty, context.RequestAborted);
        return new PasskeyChallenge(id, options.RequestOptionsJson);
    }

    /// <summary>Checks the browser's assertion for the user who gave the right password; starts the session when it holds.</summary>
    public async Task<bool> CompleteSignInAsync(HttpContext context, PaygoUser user, Guid ceremonyId, string? credentialJson)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var outcome = await signIn.CheckPasskeyAsync(user, async cancellationToken =>
        {
            var state = await ceremonies.TakeAsync(ceremonyId, user.Id, PasskeyCeremonies.SignIn, cancellationToken);
            if (state is null)
            {
                return "passkey challenge unknown, expired or already answered";
            }

            if (string.IsNullOrEmpty(credentialJson))
            {
                return "no passkey answer";
            }

            var result = await handler.PerformAssertionAsync(new PasskeyAssertionContext
            {
                HttpContext = context,
                CredentialJson = credentialJson,
                AssertionState = state,
            });
            if (!result.Succeeded)
            {
                return "passkey refused: " + result.Failure.Message;
            }

            if (!string.Equals(result.User.Id.ToString(), user.Id.ToString(), StringComparison.Ordinal))
            {
                return "passkey belongs to another user";
            }

            await registration.RecordUseAsync(user.Id, result.Passkey, cancellationToken);
            return null;
        }, context.RequestAborted);

        await flow.AuditAsync(outcome, user.Email, "dashboard password+passkey", context.RequestAborted);
        if (!outcome.Succeeded)
        {
            return false;
        }

        await StartSessionAsync(context, user);
        return true;
    }

    public async Task<PasskeyChallenge> BeginRegistrationAsync(HttpContext context, PaygoUser user)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var entity = new PasskeyUserEntity
        {
            Id = user.Id.ToString(),
            Name = user.Email ?? user.Id.ToString(),
            DisplayName = user.DisplayName.Length > 0 ? user.DisplayName : user.Email ?? user.Id.ToString(),
        };
        var options = await handler.MakeCreationOptionsAsync(entity, context);
        var id = await ceremonies.StartAsync(user.Id, PasskeyCeremonies.Registration, options.AttestationState ?? string.Empty, context.RequestAborted);
        return new PasskeyChallenge(id, options.CreationOptionsJson);
    }

    /// <summary>
    /// Verifies and stores a new passkey. When it is the user's first second factor (forced
    /// enrolment), the session starts and the recovery codes come back.
    /// </summary>
    public async Task<(PasskeyRegistration.Added? Result, string? Error)> CompleteRegistrationAsync(
        HttpContext context, PaygoUser user, Guid ceremonyId, string? credentialJson, string? name)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var cancellationToken = context.RequestAborted;
        var state = await ceremonies.TakeAsync(ceremonyId, user.Id, PasskeyCeremonies.Registration, cancellationToken);
        if (state is null)
        {
            return (null, "The passkey request expired or was already answered; try again.");
        }

        if (string.IsNullOrEmpty(credentialJson))
        {
            return (null, "The browser returned no passkey; try again.");
        }

        var result = await handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = context,
            CredentialJson = credentialJson,
            AttestationState = state,
        });
        if (!result.Succeeded)
        {
            return (null, "The passkey could not be verified: " + result.Failure.Message);
        }

        if (!string.Equals(result.UserEntity.Id, user.Id.ToString(), StringComparison.Ordinal))
        {
            return (null, "The passkey was created for another user.");
        }

        var wasEnrolled = user.HasSecondFactor;
        var added = await registration.AddAsync(user, result.Passkey, name, cancellationToken);
        if (added.Result is not null && !wasEnrolled)
        {
            await StartSessionAsync(context, user);
        }

        return added;
    }

    private static async Task StartSessionAsync(HttpContext context, PaygoUser user)
    {
        await context.SignOutAsync(AuthSetup.SignInScheme);
        await context.SignInAsync(AuthSetup.DashboardScheme, Principals.ForUser(user, AuthSetup.DashboardScheme, Principals.PasskeyMethods));
    }
}

/// <summary>What a page hands the browser: the ceremony to answer and its WebAuthn options (JSON).</summary>
public sealed record PasskeyChallenge(Guid Id, string OptionsJson);

/// <summary>What the browser sent back: the ceremony it answers and the credential (WebAuthn JSON).</summary>
public sealed class PasskeyAnswer
{
    public Guid CeremonyId { get; set; }

    public string? Credential { get; set; }

    /// <summary>The name the user gives a new passkey; unused when signing in.</summary>
    public string? Name { get; set; }
}
