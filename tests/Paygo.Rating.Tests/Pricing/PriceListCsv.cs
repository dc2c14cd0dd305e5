using System.Text;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Pricing;

/// <summary>One price list line as text, every column defaulted to a valid value; tests change the one they are about.</summary>
internal sealed record SampleRow
{
    public string ProductTitle { get; init; } = "Azure Monitor";
    public string ProductId { get; init; } = "DDD123456ABC";
    public string SkuId { get; init; } = "01AB";
    public string SkuTitle { get; init; } = "Standard";
    public string Publisher { get; init; } = "Microsoft";
    public string SkuDescription { get; init; } = "Azure Monitor Standard";
    public string UnitOfMeasure { get; init; } = "1 GB";
    public string TermDuration { get; init; } = "payG-1";
    public string Market { get; init; } = "US";
    public string Currency { get; init; } = "USD";
    public string UnitPrice { get; init; } = "1";
    public string PricingTierRangeMin { get; init; } = string.Empty;
    public string PricingTierRangeMax { get; init; } = string.Empty;
    public string EffectiveStartDate { get; init; } = "3/1/2018 12:00:00 AM";
    public string EffectiveEndDate { get; init; } = "11/30/9999 11:59:59 PM";
    public string MeterIds { get; init; } = "9f0a3d1c-6b2e-4c55-9d8e-0c1f2a3b4c5d";
    public string MeterType { get; init; } = "1 GB";
    public string Tags { get; init; } = "Azure,Consumption";

    public SampleRow Tier(string price, string min, string max) => this with { UnitPrice = price, PricingTierRangeMin = min, PricingTierRangeMax = max };

    public string ToLine() => string.Join(',', Fields().Select(f => Quote(f, always: false)));

    /// <summary>Every field in quotes, as some exporters write them.</summary>
    public string ToQuotedLine() => string.Join(',', Fields().Select(f => Quote(f, always: true)));

    private string[] Fields() =>
    [
        ProductTitle, ProductId, SkuId, SkuTitle, Publisher, SkuDescription, UnitOfMeasure, TermDuration, Market, Currency,
        UnitPrice, PricingTierRangeMin, PricingTierRangeMax, EffectiveStartDate, EffectiveEndDate, MeterIds, MeterType, Tags,
    ];

    private static string Quote(string field, bool always) =>
        !always && field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

internal static class PriceListCsv
{
    public const string Open = "9223372036854780000";

    public static string Header { get; } = string.Join(',', PriceListColumns.All);

    public static string File(params SampleRow[] rows) => Lines([.. rows.Select(r => r.ToLine())]);

    public static string Lines(params string[] dataLines) => string.Concat(new[] { Header }.Concat(dataLines).Select(l => l + "\r\n"));

    public static FileReadResult<PriceList> Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    public static FileReadResult<PriceList> Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return PriceListFile.Read(stream, TestContext.Current.CancellationToken);
    }

    public static PriceList ReadValid(string text)
    {
        var result = Read(text);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        return result.Value;
    }

    public static byte[] Write(IEnumerable<PriceListRow> rows)
    {
        using var stream = new MemoryStream();
        PriceListFile.Write(stream, rows, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    /// <summary>The single problem of a rejected file: nothing returned, exactly one problem.</summary>
    public static FileProblem SingleProblem(string text)
    {
        var result = Read(text);
        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(1, result.ProblemCount);
        return problem;
    }
}
