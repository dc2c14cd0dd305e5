using Paygo.Core.Partners;

namespace Paygo.Testing;

/// <summary>Rows for tests that need data without going through the API.</summary>
public static class TestData
{
    public static Partner Partner(string mpnId, string name = "Tailspin") => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        MpnId = mpnId,
        Country = "US",
        BillingCurrency = "USD",
        Type = PartnerType.DirectBill,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
