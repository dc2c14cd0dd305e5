using Paygo.Core.Customers;

namespace Paygo.Core.Tests;

/// <summary>The culture of a customer's billing profile, checked without culture data (the build uses InvariantGlobalization).</summary>
public sealed class CustomerRulesTests
{
    private static CustomerCreateRequest Request(string culture) => new(
        new CustomerBillingProfileDto("Grace", "Hopper", "grace@proseware.example", culture, "en", "Proseware Ltd",
            new AddressDto(Country: "GB", City: "London", AddressLine1: "1 Canada Square", PostalCode: "E14 5AB", FirstName: "Grace", LastName: "Hopper")),
        new CustomerCompanyProfileDto("proseware"));

    [Theory]
    [InlineData("en-US", "en-US")]
    [InlineData("en-GB", "en-GB")]
    [InlineData("de-de", "de-DE")]
    [InlineData(" fil-PH ", "fil-PH")]
    public void Validate_LanguageAndRegion_IsAcceptedInDotNetSpelling(string culture, string expected)
    {
        var (valid, errors) = CustomerRules.Validate(Request(culture));

        Assert.Empty(errors);
        Assert.Equal(expected, valid!.Customer.Culture);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("english")]
    [InlineData("en-XX")]
    [InlineData("en-US-x")]
    [InlineData("e1-US")]
    [InlineData("en_US")]
    public void Validate_NotALanguageAndKnownRegion_NamesTheCultureField(string culture)
    {
        var (valid, errors) = CustomerRules.Validate(Request(culture));

        Assert.Null(valid);
        Assert.Equal("billingProfile.culture", Assert.Single(errors).Field);
    }
}
