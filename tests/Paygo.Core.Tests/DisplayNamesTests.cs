using Paygo.Core.Common;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Tests;

/// <summary>The one place that turns wire values into the words the dashboard and the CLI's tables show.</summary>
public sealed class DisplayNamesTests
{
    [Theory]
    [InlineData("one_time", "One time")]
    [InlineData("PriceChanged", "Price changed")]
    [InlineData("TiersChanged", "Tiers changed")]
    [InlineData("direct-bill", "Direct bill")]
    [InlineData("indirect-provider", "Indirect provider")]
    [InlineData("active", "Active")]
    [InlineData("monthly", "Monthly")]
    [InlineData("MicrosoftCustomerAgreement", "Microsoft Customer Agreement")]
    [InlineData("", "")]
    public void Of_WireValue_IsWords(string value, string expected) => Assert.Equal(expected, DisplayNames.Of(value));

    [Fact]
    public void Of_Enum_SplitsItsName() => Assert.Equal("Price changed", DisplayNames.Of(PriceChangeKind.PriceChanged));
}
