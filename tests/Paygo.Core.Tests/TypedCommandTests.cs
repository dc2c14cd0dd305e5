using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Markets;
using Paygo.Core.Pricing;

namespace Paygo.Core.Tests;

/// <summary>The typed commands Core takes instead of request text (docs/adr/0019), and their parsers at the edge.</summary>
public sealed class TypedCommandTests
{
    [Theory]
    [InlineData("""{"Field":"CompanyName","Value":"Contoso","Operator":"starts_with"}""", CustomerSearchField.CompanyName, "Contoso")]
    [InlineData("""{"field":"domain","value":"  contoso  "}""", CustomerSearchField.Domain, "contoso")]
    public void CustomerSearch_ParsesPartnerCentersFilter(string filter, CustomerSearchField field, string prefix)
    {
        var (search, error) = CustomerSearch.Parse(filter);
        Assert.Null(error);
        Assert.Equal(new CustomerSearch(field, prefix), search);
    }

    [Theory]
    [InlineData("""{"Field":"Country","Value":"x"}""", "Field must be")]
    [InlineData("""{"Field":"Domain","Value":""}""", "Value must be")]
    [InlineData("""{"Field":"Domain","Value":"x","Operator":"contains"}""", "Operator must be")]
    [InlineData("{not json", "not valid JSON")]
    public void CustomerSearch_BadFilter_IsInvalidNamingFilter(string filter, string why)
    {
        var (search, error) = CustomerSearch.Parse(filter);
        Assert.Null(search);
        Assert.Equal(ErrorKind.Invalid, error!.Kind);
        Assert.Equal("filter", Assert.Single(error.Data).Field);
        Assert.Contains(why, error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomerSearch_FilterText_ParsesBackToTheSameSearch()
    {
        var search = new CustomerSearch(CustomerSearchField.CompanyName, "Ünïcode \"quoted\"");
        Assert.Equal(search, CustomerSearch.Parse(search.ToFilterText()).Search);
    }

    [Theory]
    [InlineData("us", "US")]
    [InlineData(" fr ", "FR")]
    public void Market_Parse_NormalisesTheCode(string text, string code)
    {
        Assert.Null(PriceListStore.ParseMarket(text, out var market));
        Assert.Equal(code, market.Code);
        Assert.Equal(code, market.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("USA")]
    [InlineData("XX")]
    public void Market_BadText_IsInvalidNamingMarket(string? text)
    {
        Assert.False(Market.TryParse(text, out _));
        var error = PriceListStore.ParseMarket(text, out _);
        Assert.Equal(ErrorKind.Invalid, error!.Kind);
        Assert.Equal("market", Assert.Single(error.Data).Field);
    }
}
