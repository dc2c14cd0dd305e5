namespace Paygo.Server.Identity;

/// <summary>
/// Sign-in settings (<c>Paygo:Auth</c>). The password grant for <c>paygo-cli</c> (password plus
/// an <c>otp</c> parameter) exists for scripts and tests: on in the demo instance, off by default
/// otherwise. <c>RequireHttps</c> makes the token server refuse plain HTTP; leave it off only
/// behind a TLS-terminating proxy or on loopback (docs/adr/0008).
/// </summary>
public sealed record AuthSettings(bool AllowPasswordGrant, bool RequireHttps)
{
    public static AuthSettings Read(IConfiguration configuration, bool demo)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new AuthSettings(
            configuration.GetValue("Paygo:Auth:AllowPasswordGrant", demo),
            configuration.GetValue("Paygo:Auth:RequireHttps", false));
    }
}
