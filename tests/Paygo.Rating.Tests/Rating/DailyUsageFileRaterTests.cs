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

    private static (FileRatingResult Result, byte[] Output, byte[] Evidence) RateBytes(byte[] usage, FileRatingOptions options)
    {
        var access = History(Aobo("a1", Entitlement, end: new DateTime(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc)));
        var rater = new MonthRater(MonthPrices.For(PriceList(Price(Meter, 0.5m)), November), access, 0.925925926m);
        using var input = new MemoryStream(usage);
        var output = new MemoryStream();
        var evidence = new MemoryStream();
        var result = DailyUsageFileRater.Rate(input, rater, CurrencyCode.Parse("EUR"), () => output, () => evidence, null, options, TestContext.Current.CancellationToken);
        return (result, output.ToArray(), evidence.ToArray());
    }

    // Days either side of the AOBO end, odd quantities, a quoted tag holding a comma and a line
    // feed (a block may not end there), a blank line and a final row without its line end.
    private static byte[] VariedUsage(int rows, Func<int, string>? quantity = null)
    {
        var text = new StringBuilder(Header).Append("\r\n");
        for (var i = 0; i < rows; i++)
        {
            var tags = i % 3 == 0 ? $"\"{{\"\"row\"\":\"\"{i},\n next\"\"}}\"" : string.Empty;
            text.Append(Line(quantity?.Invoke(i) ?? ((i % 7) + (0.125m * (i % 5))).ToString(System.Globalization.CultureInfo.InvariantCulture), $"2026-11-{(i % 20) + 1:00}", tags));
            if (i < rows - 1)
            {
                text.Append(i == rows / 2 ? "\r\n\r\n" : "\r\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public void Rate_SmallBlocksOnFourThreads_WritesTheSameBytesAndTotalsAsOneThread()
    {
        var usage = VariedUsage(400);

        var one = RateBytes(usage, new FileRatingOptions(Workers: 1, BlockBytes: 1 << 20));
        // 64-byte blocks are shorter than a row: every block grows, and every row end is a block end.
        var tiny = RateBytes(usage, new FileRatingOptions(Workers: 4, BlockBytes: 64));
        var small = RateBytes(usage, new FileRatingOptions(Workers: 3, BlockBytes: 2000));

        Assert.True(one.Result.Succeeded, string.Join("; ", one.Result.Problems));
        Assert.Equal(400, one.Result.Totals.Rows);
        Assert.True(one.Result.Totals.PecEarnedRows > 0 && one.Result.Totals.PecLostRows > 0);
        foreach (var other in new[] { tiny, small })
        {
            Assert.Equal(one.Output, other.Output);
            Assert.Equal(one.Evidence, other.Evidence);
            Assert.Equal(one.Result.Totals.BillingPreTaxTotal, other.Result.Totals.BillingPreTaxTotal);
            Assert.Equal(one.Result.Totals.PricingPreTaxTotal, other.Result.Totals.PricingPreTaxTotal);
            Assert.Equal(one.Result.Totals.Quantity, other.Result.Totals.Quantity);
            Assert.Equal((one.Result.Totals.PecEarnedRows, one.Result.Totals.PecLostRows), (other.Result.Totals.PecEarnedRows, other.Result.Totals.PecLostRows));
        }

        var output = Encoding.UTF8.GetString(one.Output);
        Assert.Contains(",\n next", output, StringComparison.Ordinal);
        // The evidence numbers rows as the file does: the blank line is row 203, so the last row is 402.
        Assert.EndsWith("\r\n", Encoding.UTF8.GetString(one.Evidence), StringComparison.Ordinal);
        Assert.StartsWith("402,", Encoding.UTF8.GetString(one.Evidence).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_BadRowsInManyBlocks_AreNamedByTheirRowInTheFile()
    {
        var usage = VariedUsage(300, i => i % 50 == 7 ? "x" : "1");

        var one = RateBytes(usage, new FileRatingOptions(Workers: 1, BlockBytes: 1 << 20));
        var many = RateBytes(usage, new FileRatingOptions(Workers: 2, BlockBytes: 700));

        Assert.Equal(6, one.Result.ProblemCount);
        Assert.Equal(one.Result.Problems, many.Result.Problems);
        Assert.Equal(one.Result.ProblemCount, many.Result.ProblemCount);
        // Row 1 is the header and row 2 the usage row i = 0; the blank line after i = 150 is a row too.
        Assert.Equal([9, 59, 109, 160, 210, 260], many.Result.Problems.Select(p => p.Row));
        Assert.Empty(many.Output);
    }

    [Fact]
    public void Rate_Utf16File_IsRatedLikeItsUtf8Text()
    {
        var utf8 = VariedUsage(50);
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(utf8))).ToArray();

        var fromUtf8 = RateBytes(utf8, new FileRatingOptions());
        var fromUtf16 = RateBytes(utf16, new FileRatingOptions());

        Assert.True(fromUtf16.Result.Succeeded, string.Join("; ", fromUtf16.Result.Problems));
        Assert.Equal(fromUtf8.Output, fromUtf16.Output);
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
