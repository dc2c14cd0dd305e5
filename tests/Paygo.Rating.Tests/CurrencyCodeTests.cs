using Paygo.Rating.Money;

namespace Paygo.Rating.Tests;

public sealed class CurrencyCodeTests
{
    [Theory]
    [InlineData("USD", 2)]
    [InlineData("eur", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    public void TryParse_KnownCode_GivesIsoMinorUnit(string text, int minorUnit)
    {
        Assert.True(CurrencyCode.TryParse(text, out var currency));
        Assert.Equal(text.ToUpperInvariant(), currency.Value);
        Assert.Equal(minorUnit, currency.MinorUnit);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("US")]
    [InlineData("XYZ")]
    [InlineData("USDD")]
    public void TryParse_UnknownCode_Fails(string? text) => Assert.False(CurrencyCode.TryParse(text, out _));
}
