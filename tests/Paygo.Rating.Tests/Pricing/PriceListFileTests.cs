using System.Text;
using Paygo.Rating.Pricing;
using static Paygo.Rating.Tests.Pricing.PriceListCsv;

namespace Paygo.Rating.Tests.Pricing;

public sealed class PriceListFileTests
{
    private static readonly SampleRow Base = new();

    // Reference §4.2: DDD123456ABC/01AB, 1–100 at 1, 101–100000 at 0.80, 100001 and up at 0.50, listed highest first.
    private static readonly string ReferenceTiers = File(
        Base.Tier("0.50", "100001", Open),
        Base.Tier("0.80", "101", "100000"),
        Base.Tier("1", "1", "100"));

    [Fact]
    public void Read_ReferenceTierExample_GivesTiersInOrderAndGraduatedCost()
    {
        var list = ReadValid(ReferenceTiers);

        Assert.Equal(3, list.Rows.Count);
        var lookup = list.Find(Base.MeterIds, "US", new DateOnly(2026, 11, 15));
        Assert.True(lookup.Found);
        Assert.Equal(
            [new PriceTier(0m, 100m, 1m), new PriceTier(100m, 100000m, 0.80m), new PriceTier(100000m, null, 0.50m)],
            lookup.Price.Tiers);
        // Reference §4.2 and DOMAIN.md §6: 101 units cost 100 × 1 + 1 × 0.80.
        Assert.Equal(100.80m, lookup.Price.CostOf(101m));
        Assert.Equal(100m + (99900m * 0.80m) + 0.50m, lookup.Price.CostOf(100001m));
    }

    [Fact]
    public void Read_LogAnalyticsExample_FirstFiveUnitsFree()
    {
        // Reference §4.2: DZH318Z0BQD2/003J, 1–5 at 0, 6 and up at 2.99; 37 units bill 32.
        var row = Base with { ProductId = "DZH318Z0BQD2", SkuId = "003J", ProductTitle = "Log Analytics" };
        var list = ReadValid(File(row.Tier("0", "1", "5"), row.Tier("2.99", "6", Open)));

        var price = list.Find(row.MeterIds, "US", new DateOnly(2023, 10, 1)).Price!;

        Assert.Equal(32m * 2.99m, price.CostOf(37m));
    }

    [Fact]
    public void Read_SampleRow_KeepsEveryColumnAsWritten()
    {
        var list = ReadValid(File(Base with { UnitPrice = "0.0022", UnitOfMeasure = "1 GB/Month", MeterType = "1 GB/Month" }));

        var row = Assert.Single(list.Rows);
        Assert.Equal("Azure Monitor", row.ProductTitle);
        Assert.Equal("DDD123456ABC", row.ProductId);
        Assert.Equal("01AB", row.SkuId);
        Assert.Equal("Standard", row.SkuTitle);
        Assert.Equal("Microsoft", row.Publisher);
        Assert.Equal("Azure Monitor Standard", row.SkuDescription);
        Assert.Equal("1 GB/Month", row.UnitOfMeasure.Text);
        Assert.Equal("GB/Month", row.UnitOfMeasure.BaseUnit);
        Assert.Equal("payG-1", row.TermDuration);
        Assert.Equal("US", row.Market);
        Assert.Equal("USD", row.Currency.Value);
        Assert.Equal(0.0022m, row.UnitPrice);
        Assert.Null(row.PricingTierRangeMin);
        Assert.Null(row.PricingTierRangeMax);
        Assert.Equal(new DateTime(2018, 3, 1, 0, 0, 0, DateTimeKind.Utc), row.EffectiveStartDate);
        Assert.Equal(DateTimeKind.Utc, row.EffectiveStartDate.Kind);
        Assert.Equal(new DateTime(9999, 11, 30, 23, 59, 59, DateTimeKind.Utc), row.EffectiveEndDate);
        Assert.Equal(Base.MeterIds, row.MeterIds);
        Assert.Equal("1 GB/Month", row.MeterType);
        Assert.Equal("Azure,Consumption", row.Tags);
        Assert.True(row.HasTag("consumption"));
        Assert.False(row.HasTag("ThirdParty"));
    }

    [Fact]
    public void Write_AfterRead_IsByteIdenticalToCanonicalFile()
    {
        var canonical = File(
            Base.Tier("0.50", "100001", Open),
            Base.Tier("0.80", "101", "100000"),
            Base.Tier("1.000", "1", "100"),
            Base with { MeterIds = "2", UnitOfMeasure = "10 ", UnitPrice = "0.000125", SkuDescription = "Say \"hi\", then, bye", Tags = "" },
            Base with { MeterIds = "3", UnitOfMeasure = "1 小时", ProductTitle = "Données – 数据 🚀", EffectiveStartDate = "12/15/2025 6:30:00 PM" },
            Base with { MeterIds = "4", SkuDescription = "two\r\nlines", TermDuration = "" });

        var written = Write(ReadValid(canonical).Rows);

        Assert.Equal(Encoding.UTF8.GetBytes(canonical), written);
    }

    [Fact]
    public void Write_AfterReadOfGeneratedList_IsByteIdentical()
    {
        var original = Write(PriceListGenerator.Generate(20_000, seed: 5));

        var again = Write(Read(original).Value!.Rows);

        Assert.Equal(original, again);
    }

    [Fact]
    public async Task WriteAsync_GeneratedList_WritesTheSameBytesAsWrite()
    {
        var rows = PriceListGenerator.Generate(30_000, seed: 6).ToList();
        using var stream = new MemoryStream();

        await PriceListFile.WriteAsync(stream, rows, TestContext.Current.CancellationToken);

        Assert.Equal(Write(rows), stream.ToArray());
    }

    [Fact]
    public void Write_StartsWithHeaderAndNoBom()
    {
        var written = Write([]);

        Assert.Equal(Encoding.UTF8.GetBytes(Header + "\r\n"), written);
    }

    [Fact]
    public void Read_Utf8Bom_IsAcceptedAndNotWrittenBack()
    {
        var text = File(Base);
        var withBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var result = Read(withBom);

        Assert.True(result.Succeeded);
        Assert.Equal(Encoding.UTF8.GetBytes(text), Write(result.Value.Rows));
    }

    [Fact]
    public void Read_LfLineEndings_AreAcceptedAndWrittenAsCrlf()
    {
        var crlf = File(Base.Tier("1", "1", "100"), Base.Tier("0.8", "101", Open));

        var list = ReadValid(crlf.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal(2, list.Rows.Count);
        Assert.Equal(Encoding.UTF8.GetBytes(crlf), Write(list.Rows));
    }

    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndLineBreaks_KeepTheirText()
    {
        var list = ReadValid(File(Base with { ProductTitle = "A, \"B\"\r\nC", Tags = "Azure,Consumption,ThirdParty" }));

        var row = Assert.Single(list.Rows);
        Assert.Equal("A, \"B\"\r\nC", row.ProductTitle);
        Assert.True(row.HasTag("ThirdParty"));
    }

    [Fact]
    public void Read_UnicodeText_IsKeptExactly()
    {
        const string Title = "Données Azure – 数据 – Ελληνικά 🚀";
        var list = ReadValid(File(Base with { ProductTitle = Title, UnitOfMeasure = "1 GB/月" }));

        var row = Assert.Single(list.Rows);
        Assert.Equal(Title, row.ProductTitle);
        Assert.Equal("GB/Month", row.UnitOfMeasure.BaseUnit);
    }

    [Fact]
    public void Read_IsoDates_AreAcceptedAndWrittenInPartnerCenterFormat()
    {
        var list = ReadValid(File(Base with { EffectiveStartDate = "2026-11-01", EffectiveEndDate = "2026-11-30" }));

        var row = Assert.Single(list.Rows);
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), row.EffectiveStartDate);
        Assert.Contains(",11/1/2026 12:00:00 AM,11/30/2026 12:00:00 AM,", Encoding.UTF8.GetString(Write(list.Rows)), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NonCanonicalInput_IsNormalised()
    {
        var input = Lines(
            "\"Azure Monitor\",DDD123456ABC,01AB,Standard,Microsoft,x,1 GB,payG-1,US,USD,007.50,,,03/01/2018 12:00:00 AM,11/30/9999 11:59:59 PM,m1,1 GB,Azure",
            "Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,x,1 GB,payG-1,US,USD,2.5E-03,,,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,m2,1 GB,Azure");

        var written = Encoding.UTF8.GetString(Write(ReadValid(input).Rows));

        Assert.Equal(
            Lines(
                "Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,x,1 GB,payG-1,US,USD,7.50,,,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,m1,1 GB,Azure",
                "Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,x,1 GB,payG-1,US,USD,0.0025,,,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,m2,1 GB,Azure"),
            written);
    }

    [Fact]
    public void Read_EveryFieldQuoted_IsReadAndWrittenWithQuotesOnlyWhereNeeded()
    {
        var quotedHeader = string.Join(',', PriceListColumns.All.Select(c => $"\"{c}\""));

        var list = ReadValid(quotedHeader + "\r\n" + Base.ToQuotedLine() + "\r\n");

        Assert.Equal(Encoding.UTF8.GetBytes(File(Base)), Write(list.Rows));
    }

    [Fact]
    public void Read_BlankLines_AreSkippedButCountAsRows()
    {
        var text = Header + "\r\n" + Base.ToLine() + "\r\n\r\n" + (Base with { MeterIds = "2", UnitPrice = "x" }).ToLine() + "\r\n\r\n";

        var problem = SingleProblem(text);

        Assert.Equal(4, problem.Row);
    }

    [Fact]
    public void Read_ZeroBasedTiers_AreNormalisedLikeOneBased()
    {
        var halfOpen = ReadValid(File(Base.Tier("1", "0", "100"), Base.Tier("0.8", "100", Open)));
        var closed = ReadValid(File(Base.Tier("1", "0", "99"), Base.Tier("0.8", "100", Open)));

        PriceTier[] expected = [new(0m, 100m, 1m), new(100m, null, 0.8m)];
        Assert.Equal(expected, halfOpen.Prices.Single().Tiers);
        Assert.Equal(expected, closed.Prices.Single().Tiers);
    }

    [Fact]
    public async Task ReadAsync_SameFile_GivesSameRowsAsRead()
    {
        var bytes = Write(PriceListGenerator.Generate(5_000, seed: 9));
        using var stream = new MemoryStream(bytes);

        var result = await PriceListFile.ReadAsync(stream, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(Read(bytes).Value!.Rows, result.Value.Rows);
    }

    [Fact]
    public async Task ReadAsync_BadRow_ReportsItLikeRead()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(File(Base with { UnitPrice = "-1" })));

        var result = await PriceListFile.ReadAsync(stream, TestContext.Current.CancellationToken);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((2, PriceListColumns.UnitPrice), (problem.Row, problem.Column));
    }

    [Fact]
    public void FromRows_GeneratedRows_AreValid()
    {
        var result = PriceList.FromRows(PriceListGenerator.Generate(10_000, seed: 2), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        Assert.Equal(10_000, result.Value.Rows.Count);
    }

    [Fact]
    public void FromRows_BadRow_NamesItAsTheFileWould()
    {
        var rows = ReadValid(File(Base.Tier("1", "1", "100"), Base.Tier("0.8", "101", Open))).Rows.ToList();
        rows[1] = rows[1] with { UnitPrice = -0.8m };

        var result = PriceList.FromRows(rows, TestContext.Current.CancellationToken);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((3, PriceListColumns.UnitPrice, "-0.8"), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Generate_SameSeed_GivesSameRows_OtherSeed_Differs()
    {
        var first = PriceListGenerator.Generate(2_000, seed: 4).ToList();

        Assert.Equal(first, PriceListGenerator.Generate(2_000, seed: 4));
        Assert.NotEqual(first, PriceListGenerator.Generate(2_000, seed: 5));
        Assert.Equal(2_000, first.Count);
        Assert.Contains(first, r => r.IsTiered && r.PricingTierRangeMin == 0m);
        Assert.Contains(first, r => r.IsTiered && r.PricingTierRangeMin == 1m);
        Assert.Contains(first, r => !r.IsTiered);
        Assert.Contains(first, r => r.HasTag("ThirdParty"));
    }
}
