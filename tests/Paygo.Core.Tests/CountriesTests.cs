using Paygo.Core.Markets;

namespace Paygo.Core.Tests;

public sealed class CountriesTests
{
    [Fact]
    public void Codes_HoldEveryIso3166Alpha2Country() => Assert.Equal(249, Countries.Codes.Count);

    [Theory]
    [InlineData("US", "USD")]
    [InlineData("de", "EUR")]
    [InlineData(" FR ", "EUR")]
    [InlineData("GB", "GBP")]
    [InlineData("JE", "GBP")]
    [InlineData("JP", "JPY")]
    [InlineData("KR", "KRW")]
    [InlineData("DK", "DKK")]
    [InlineData("FO", "DKK")]
    [InlineData("NO", "NOK")]
    [InlineData("SE", "SEK")]
    [InlineData("CH", "CHF")]
    [InlineData("AU", "AUD")]
    [InlineData("NZ", "NZD")]
    [InlineData("CA", "CAD")]
    [InlineData("BR", "BRL")]
    [InlineData("IN", "INR")]
    [InlineData("TW", "TWD")]
    [InlineData("CN", "CNY")]
    [InlineData("KE", "USD")]
    [InlineData("MX", "USD")]
    [InlineData("VA", "USD")]
    public void TryGetBillingCurrency_KnownCountry_GivesReferenceCurrency(string text, string currency)
    {
        Assert.True(Countries.TryGetBillingCurrency(text, out var country, out var billing));
        Assert.Equal(text.Trim().ToUpperInvariant(), country);
        Assert.Equal(currency, billing.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("XX")]
    [InlineData("USA")]
    [InlineData("U")]
    [InlineData("ÜS")]
    public void TryGetBillingCurrency_NotACountry_Fails(string? text) =>
        Assert.False(Countries.TryGetBillingCurrency(text, out _, out _));
}
