using Paygo.Core.Partners;

namespace Paygo.Core.Tests;

public sealed class PartnerRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("direct-bill", PartnerType.DirectBill)]
    [InlineData("direct_bill", PartnerType.DirectBill)]
    [InlineData("directBill", PartnerType.DirectBill)]
    [InlineData("DirectBill", PartnerType.DirectBill)]
    [InlineData("INDIRECT-PROVIDER", PartnerType.IndirectProvider)]
    [InlineData("indirect reseller", PartnerType.IndirectReseller)]
    public void PartnerTypes_TryParse_AcceptsEverySdkSpelling(string text, PartnerType expected)
    {
        Assert.True(PartnerTypes.TryParse(text, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("direct-bill2")]
    [InlineData("")]
    [InlineData("reseller")]
    public void PartnerTypes_TryParse_RefusesOtherWords(string text) => Assert.False(PartnerTypes.TryParse(text, out _));

    [Fact]
    public void Validate_GoodRequest_GivesPartnerWithCountryCurrency()
    {
        var tenant = Guid.NewGuid();
        var (partner, errors) = PartnerRules.Validate(new PartnerCreateRequest(" Tailspin SAS ", "direct-bill", "5123456", "fr", tenant.ToString()), Now);

        Assert.Empty(errors);
        Assert.NotNull(partner);
        Assert.Equal(tenant, partner.Id);
        Assert.Equal("Tailspin SAS", partner.Name);
        Assert.Equal("FR", partner.Country);
        Assert.Equal("EUR", partner.BillingCurrency);
        Assert.Equal(Now, partner.CreatedAt);
    }

    [Fact]
    public void Validate_EmptyRequest_NamesEveryRequiredField()
    {
        var (partner, errors) = PartnerRules.Validate(new PartnerCreateRequest(null, null, null, null), Now);

        Assert.Null(partner);
        Assert.Equal(["name", "partnerType", "mpnId", "country"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("mpnId", "12ab567")]
    [InlineData("mpnId", "123")]
    [InlineData("mpnId", "12345678901")]
    [InlineData("country", "XX")]
    [InlineData("country", "Germany")]
    [InlineData("tenantId", "not-a-guid")]
    [InlineData("tenantId", "00000000-0000-0000-0000-000000000000")]
    [InlineData("billingCurrency", "USD")]
    [InlineData("partnerType", "distributor")]
    [InlineData("name", "Bad\u0001Name")]
    public void Validate_OneBadField_IsTheOnlyErrorAndNamed(string field, string value)
    {
        var request = new PartnerCreateRequest(
            field == "name" ? value : "Tailspin",
            field == "partnerType" ? value : "direct-bill",
            field == "mpnId" ? value : "5123456",
            field == "country" ? value : "DE",
            field == "tenantId" ? value : null,
            field == "billingCurrency" ? value : null);

        var (partner, errors) = PartnerRules.Validate(request, Now);

        Assert.Null(partner);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MatchingBillingCurrency_IsAccepted()
    {
        var (partner, errors) = PartnerRules.Validate(new PartnerCreateRequest("A", "direct-bill", "5123456", "JP", BillingCurrency: "jpy"), Now);
        Assert.Empty(errors);
        Assert.Equal("JPY", partner!.BillingCurrency);
    }

    [Fact]
    public void Validate_HugeName_IsClippedInTheMessage()
    {
        var (_, errors) = PartnerRules.Validate(new PartnerCreateRequest(new string('a', 10_000), "direct-bill", "5123456", "US"), Now);
        var error = Assert.Single(errors);
        Assert.True(error.Message.Length < 200);
    }
}
