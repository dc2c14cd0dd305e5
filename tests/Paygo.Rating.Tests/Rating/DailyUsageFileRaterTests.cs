using System.Text;
using Paygo.Rating.Access;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;
using static Paygo.Rating.Tests.Rating.RatingFixture;

namespace Paygo.Rating.Tests.Rating;

/// <summary>File mode's reader and writer: columns by name in any order, verbatim pass-through, all or nothing, and the access file.</summary>
public sealed class DailyUsageFileRaterTests
{
    private static readonly BillingMonth November = new(2026, 11);

    private static (FileRatingResult Result, string Output) RateText(string usage, AccessHistory? access = null)
    {
        var rater = new MonthRater(MonthPrices.For(PriceList(Price(Meter, 0.5m)), November), access ?? History(Aobo("a1", Entitlement)), 1m);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(usage));
        var output = new MemoryStream();
        var opened = false;
        var result = DailyUsageFileRater.Rate(input, rater, CurrencyCode.Usd, () =>
        {
            opened = true;
            return output;
        });
        return (result, opened ? Encoding.UTF8.GetString(output.ToArray()) : string.Empty);
    }

    private static readonly string Header = "MeterId,Quantity,UsageDate,SubscriptionId,EntitlementId,ResourceURI,PartnerId,CustomerId,MPNID,Tags";

    private static string Line(string quantity = "4", string date = "2026-11-03", string tags = "\"{\"\"env\"\":\"\"prod, eu\"\"}\"") =>
        $"{Meter},{quantity},{date},{Plan},{Entitlement},{Vm(Entitlement)},5a4e3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b10,c0ffee00-0000-4000-8000-00000000000a,{Partner},{tags}";

    [Fact]
    public void Rate_ColumnsInAnyOrder_WritesThe55ColumnsWithQuotedTextAsWritten()
    {
        var (result, output) = RateText($"{Header}\r\n{Line()}\r\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        var lines = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', DailyRatedUsageFile.Table.Header), lines[0]);
        Assert.Contains(",\"{\"\"env\"\":\"\"prod, eu\"\"}\",", lines[1], StringComparison.Ordinal);
        // 4 × 0.5 with PEC: 1.70.
        Assert.Contains(",0.5,4,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",1.70,USD,1.70,USD,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"{Entitlement},,15,,,,,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_UnknownOrMissingColumns_RefuseTheHeaderAndWriteNothing()
    {
        var (result, output) = RateText("MeterId,Quantity,UsageDay\r\n");

        Assert.False(result.Succeeded);
        Assert.Empty(output);
        Assert.Contains(result.Problems, p => p.Column == "UsageDay" && p.Reason.Contains("not a daily rated usage column", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Column == "SubscriptionId" && p.Reason.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Rate_ManyBadRows_NamesTheFirst50AndCountsAll()
    {
        var rows = string.Join("\r\n", Enumerable.Range(0, 60).Select(_ => Line(quantity: "x")));

        var (result, output) = RateText($"{Header}\r\n{Line()}\r\n{rows}\r\n");

        Assert.Empty(output);
        Assert.Equal(60, result.ProblemCount);
        Assert.Equal(50, result.Problems.Count);
        Assert.Equal((3, "Quantity"), (result.Problems[0].Row, result.Problems[0].Column));
    }

    [Fact]
    public void AccessFile_DenyAndCustomRole_AreReadAsTheRuleNeedsThem()
    {
        var scope = $"/subscriptions/{Entitlement}";
        var text = "AssignmentId,Kind,PrincipalType,PrincipalId,PartnerId,RoleDefinitionName,Scope,Start,End\r\n"
            + $"aobo,allow,foreignPrincipal,fp,{Partner},Owner,{scope},2026-01-05,\r\n"
            + $"custom,allow,user,u1,{Partner},Our VM Operator,{scope},2026-01-05,\r\n"
            + $"deny,deny,user,u2,,Owner,{scope}/resourceGroups/rg-app,2026-11-10T06:00:00Z,2026-11-10T07:00:00Z\r\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var read = AccessFileReader.Read(stream, TestContext.Current.CancellationToken);

        Assert.True(read.Succeeded, string.Join("; ", read.Problems));
        var index = read.Value.IndexFor(Entitlement, Partner);
        Assert.Equal(PecReason.Earned, index.Decide(Vm(Entitlement), MeterExclusion.None, new DateOnly(2026, 11, 9)).Reason);
        Assert.Equal(PecReason.Denied, index.Decide(Vm(Entitlement), MeterExclusion.None, new DateOnly(2026, 11, 10)).Reason);
        Assert.True(read.Value.Roles.TryFind("Our VM Operator", out var role) && role.IsCustom && !role.PecEligible);
    }

    [Fact]
    public void AccessFile_RepeatedIdOrEndBeforeStart_IsRefused()
    {
        var scope = $"/subscriptions/{Entitlement}";
        var text = "AssignmentId,Kind,PrincipalType,PrincipalId,PartnerId,RoleDefinitionName,Scope,Start,End\r\n"
            + $"a,allow,foreignPrincipal,fp,{Partner},Owner,{scope},2026-01-05,\r\n"
            + $"a,allow,foreignPrincipal,fp,{Partner},Owner,{scope},2026-01-05,\r\n"
            + $"b,allow,foreignPrincipal,fp,{Partner},Owner,{scope},2026-02-05,2026-01-05\r\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var read = AccessFileReader.Read(stream, TestContext.Current.CancellationToken);

        Assert.False(read.Succeeded);
        Assert.Equal([(3, "AssignmentId"), (4, "End")], read.Problems.Select(p => (p.Row, p.Column)));
    }
}
