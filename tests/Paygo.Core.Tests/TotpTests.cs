using Paygo.Core.Identity;

namespace Paygo.Core.Tests;

public sealed class TotpTests
{
    // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", 8-digit codes; Paygo uses the last 6 digits.
    private static readonly string RfcSecret = Base32.Encode("12345678901234567890"u8);

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Code_MatchesTheRfc6238Vectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcSecret, unixSeconds / 30));

    [Fact]
    public void MatchingStep_AcceptsOneStepEitherSideOnly()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = Totp.TimeStep(now);

        Assert.Equal(step - 1, Totp.MatchingStep(RfcSecret, Totp.Code(RfcSecret, step - 1), now));
        Assert.Equal(step + 1, Totp.MatchingStep(RfcSecret, Totp.Code(RfcSecret, step + 1), now));
        Assert.Null(Totp.MatchingStep(RfcSecret, Totp.Code(RfcSecret, step - 2), now));
        Assert.Null(Totp.MatchingStep(RfcSecret, "12345", now));
        Assert.Null(Totp.MatchingStep(RfcSecret, "abcdef", now));
    }

    [Fact]
    public void NewSecret_Is160BitsOfBase32()
    {
        var secret = Totp.NewSecret();
        Assert.Equal(32, secret.Length);
        Assert.Equal(20, Base32.Decode(secret).Length);
        Assert.NotEqual(secret, Totp.NewSecret());
    }
}
