using System.Globalization;
using System.Text;
using Paygo.Rating.Reconcile;

namespace Paygo.Rating.Tests.Reconcile;

/// <summary>
/// The reconciliation of two daily rated usage files (issue 13 point 6, docs/adr/0038): the join,
/// the sums, each reason a difference is given, the report's totals and the problems of a bad file.
/// </summary>
public sealed class DailyFileReconcilerTests
{
    private const string Customer = "c0ffee00-0000-4000-8000-00000000000a";
    private const string Customer2 = "c0ffee00-0000-4000-8000-00000000000b";
    private const string Plan = "9b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";
    private const string Plan2 = "9b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c5";
    private const string Azure = "11111111-aaaa-4bbb-8ccc-000000000001";
    private const string Azure2 = "22222222-aaaa-4bbb-8ccc-000000000002";
    private const string Vm = "8e669c01-98fc-5288-987d-ea548f352fa6";
    private const string Storage = "0a2b3c4d-98fc-5288-987d-ea548f352fa7";
    private const string Resource = "/subscriptions/11111111-aaaa-4bbb-8ccc-000000000001/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web1";

    // A subset of the 55 columns in another order than the file's: columns are matched by name.
    private static readonly string[] Header =
        ["CustomerId", "CustomerName", "SubscriptionId", "EntitlementId", "ResourceURI", "MeterId", "MeterName", "UsageDate", "Quantity", "UnitPrice",
            "PartnerEarnedCreditPercentage", "PricingPreTaxTotal", "PCToBCExchangeRate", "BillingPreTaxTotal", "ChargeType"];

    private sealed record R(string Day, decimal Quantity, decimal UnitPrice = 0.1m, decimal Pec = 15m, decimal Rate = 0.9m, string Meter = Vm,
        string Entitlement = Azure, string Resource = Resource, string CustomerId = Customer, string PlanId = Plan, decimal? Billing = null)
    {
        public decimal Pricing => Quantity * UnitPrice * (1 - (Pec / 100));

        public string Line() => string.Join(',',
            CustomerId, CustomerId == Customer ? "Contoso Ltd" : "Fabrikam GmbH", PlanId, Entitlement, Resource, Meter, Meter == Vm ? "D2s v5" : "LRS Data Stored", Day,
            Num(Quantity), Num(UnitPrice), Num(Pec), Num(Pricing), Num(Rate), Num(Billing ?? (Pricing * Rate)), "new");
    }

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static MemoryStream File(params R[] rows) =>
        new(Encoding.UTF8.GetBytes(string.Join("\r\n", [string.Join(',', Header), .. rows.Select(r => r.Line())]) + "\r\n"));

    private static ReconcileResult Run(R[] expected, R[] actual)
    {
        using var e = File(expected);
        using var a = File(actual);
        var result = DailyFileReconciler.Reconcile(e, a, 0m, TestContext.Current.CancellationToken);
        Assert.True(result.Read, string.Join("; ", result.ExpectedProblems.Concat(result.ActualProblems)));
        return result;
    }

    private static readonly R[] Month =
    [
        new("2026-11-01", 24),
        new("2026-11-02", 24),
        new("2026-11-01", 10, 0.02m, Meter: Storage),
        new("2026-11-01", 5, Entitlement: Azure2, Resource: "/subscriptions/22222222-aaaa-4bbb-8ccc-000000000002/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/b", CustomerId: Customer2, PlanId: Plan2),
    ];

    [Fact]
    public void SameFiles_AreEqual()
    {
        var result = Run(Month, Month);

        Assert.True(result.Equal);
        Assert.Empty(result.Differences);
        Assert.Equal(4, result.Keys);
        Assert.Equal(result.Totals!.ExpectedBillingPreTaxTotal, result.Totals.ActualBillingPreTaxTotal);
    }

    [Fact]
    public void SeveralRowsOfAKey_AreSummed_AndResourceCase_DateFormat_AndScale_DoNotMatter()
    {
        R[] actual =
        [
            new("11/1/2026 12:00:00 AM", 12, Resource: Resource.ToUpperInvariant()),
            new("2026-11-01", 12.000m),
            new("2026-11-02", 24),
            new("2026-11-01", 10, 0.0200m, Meter: Storage),
            Month[3],
        ];

        var result = Run(Month, actual);

        Assert.True(result.Equal, string.Join("; ", result.Differences));
        Assert.Equal(4, result.Keys);
        Assert.Equal(5, result.ActualRows);
    }

    [Theory]
    [InlineData("quantity", VarianceReason.Quantity)]
    [InlineData("pec", VarianceReason.Pec)]
    [InlineData("rate", VarianceReason.FxRate)]
    [InlineData("price", VarianceReason.UnitPrice)]
    [InlineData("amount", VarianceReason.Amount)]
    public void EachChange_IsNamedByItsReason(string change, VarianceReason reason)
    {
        var storage = Month[2];
        var changed = change switch
        {
            "quantity" => storage with { Quantity = 11 },
            "pec" => storage with { Pec = 0 },
            "rate" => storage with { Rate = 0.91m },
            "price" => storage with { UnitPrice = 0.021m },
            _ => storage with { Billing = (storage.Pricing * storage.Rate) + 0.01m },
        };

        var result = Run(Month, [Month[0], Month[1], changed, Month[3]]);

        var difference = Assert.Single(result.Differences);
        Assert.Equal(reason, difference.Reason);
        Assert.Equal(Guid.Parse(Storage), difference.MeterId);
        Assert.Equal(changed.Pricing * changed.Rate + (change == "amount" ? 0.01m : 0) - (storage.Pricing * storage.Rate), difference.BillingDifference);
        var group = Assert.Single(result.Report);
        Assert.Equal((Guid.Parse(Customer), Guid.Parse(Storage), "Contoso Ltd", "LRS Data Stored"), (group.CustomerId, group.MeterId, group.CustomerName, group.MeterName));
        Assert.Equal(1, group.DifferingKeys);
        Assert.Equal(difference.BillingDifference, group.Difference);
        Assert.Equal(reason, Assert.Single(group.Reasons).Reason);
        Assert.False(result.Equal);
    }

    [Fact]
    public void QuantityComesFirst_AndEveryOtherReasonIsListedToo()
    {
        var result = Run(Month, [Month[0], Month[1], Month[2] with { Quantity = 11, Pec = 0 }, Month[3]]);

        var difference = Assert.Single(result.Differences);
        Assert.Equal(VarianceReason.Quantity, difference.Reason);
        Assert.Equal("quantity;pec;unitPrice;amount", VarianceRow.Names(difference.AllReasons));
    }

    [Fact]
    public void MissingRows_OnEitherSide_AreNamed_AndAShiftedDayIsATierPosition()
    {
        // Paygo misses the VM's 1 November: 2 November then starts lower on the tiers, so the same
        // 24 hours blend to another price; and it has a row Microsoft's file lacks.
        R[] actual =
        [
            new("2026-11-02", 24, 0.09m),
            Month[2],
            Month[3],
            new("2026-11-03", 1, Meter: Storage),
        ];

        var result = Run(Month, actual);

        Assert.Equal(
            [("2026-11-01", Vm, VarianceReason.MissingInActual), ("2026-11-02", Vm, VarianceReason.TierPosition), ("2026-11-03", Storage, VarianceReason.MissingInExpected)],
            result.Differences.Select(d => (d.UsageDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.MeterId.ToString(), d.Reason)).OrderBy(d => d.Item1));
        var missing = result.Differences.Single(d => d.Reason == VarianceReason.MissingInActual);
        Assert.Null(missing.Actual);
        Assert.Equal(24, missing.Expected!.Quantity);
        Assert.Equal(-(Month[0].Pricing * Month[0].Rate), missing.BillingDifference);
        Assert.Equal(2, result.Report.Count);
        Assert.Equal(Month.Sum(r => r.Pricing * r.Rate), result.Totals!.ExpectedBillingPreTaxTotal);
        Assert.Equal(actual.Sum(r => r.Pricing * r.Rate), result.Totals.ActualBillingPreTaxTotal);
        Assert.Equal(3, result.Totals.DifferingKeys);
    }

    [Fact]
    public void DifferencesFile_HasBothSidesAndTheReason()
    {
        var result = Run(Month, [Month[0], Month[1], Month[2] with { Pec = 0 }, Month[3]]);
        using var stream = new MemoryStream();

        DifferencesFile.Write(stream, result.Differences);

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n");
        Assert.Equal(string.Join(',', DifferencesFile.Header), lines[0]);
        var cells = lines[1].Split(',');
        var column = DifferencesFile.Header.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        Assert.Equal("pec", cells[column["Reason"]]);
        Assert.Equal(["15", "0"], [cells[column["ExpectedPartnerEarnedCreditPercentage"]], cells[column["ActualPartnerEarnedCreditPercentage"]]]);
        Assert.Equal(["1", "1"], [cells[column["ExpectedRows"]], cells[column["ActualRows"]]]);
        Assert.Equal("2026-11-01", cells[column["UsageDate"]]);
        Assert.Equal(3, lines.Length); // header, one row, the final line break
    }

    [Fact]
    public void BadCell_RefusesTheFile_NamingRowAndColumn()
    {
        using var expected = File(Month);
        var text = Encoding.UTF8.GetString(File(Month).ToArray()).Replace(Storage, "not-a-meter", StringComparison.Ordinal);
        using var actual = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var result = DailyFileReconciler.Reconcile(expected, actual, 0m, TestContext.Current.CancellationToken);

        Assert.False(result.Read);
        Assert.Empty(result.ExpectedProblems);
        var problem = Assert.Single(result.ActualProblems);
        Assert.Equal((4, "MeterId", "not-a-meter"), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void MissingColumn_RefusesTheFile_NamingTheColumn()
    {
        using var expected = new MemoryStream(Encoding.UTF8.GetBytes("EntitlementId,ResourceURI,MeterId,UsageDate\r\n"));
        using var actual = File(Month);

        var result = DailyFileReconciler.Reconcile(expected, actual, 0m, TestContext.Current.CancellationToken);

        Assert.False(result.Read);
        Assert.Contains(result.ExpectedProblems, p => p.Row == 1 && p.Column == "Quantity");
        Assert.Empty(result.ActualProblems);
    }

    [Fact]
    public void Tolerance_CountsSmallDifferencesAsEqual()
    {
        R[] actual = [Month[0] with { Billing = (Month[0].Pricing * Month[0].Rate) + 0.0000001m }, Month[1], Month[2], Month[3]];
        using var e = File(Month);
        using var a = File(actual);

        Assert.True(DailyFileReconciler.Reconcile(e, a, 0.000001m, TestContext.Current.CancellationToken).Equal);
        Assert.False(Run(Month, actual).Equal);
    }
}
