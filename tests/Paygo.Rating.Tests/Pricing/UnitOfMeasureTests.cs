using System.Globalization;
using nietras.SeparatedValues;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Pricing;

public sealed class UnitOfMeasureTests
{
    // Where PricingUnits.csv is inconsistent with itself, Paygo normalises one way for every spelling.
    private static readonly Dictionary<string, string> DeliberateDifferences = new(StringComparer.Ordinal)
    {
        // "10 Rotations" is "Rotations" in the same file.
        ["1 Rotation"] = "Rotations",
        // "1 MB/Month" is "MB/Month" in the same file.
        ["MB/month"] = "MB/Month",
    };

    public static TheoryData<string, decimal, string> ReferenceUnits()
    {
        var data = new TheoryData<string, decimal, string>();
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(Path.Combine(AppContext.BaseDirectory, "Pricing", "TestData", "PricingUnits.csv"));
        foreach (var row in reader)
        {
            data.Add(row["UnitOfMeasure"].ToString(), decimal.Parse(row["PricingBlockSize"].Span, CultureInfo.InvariantCulture), row["DistinctUnits"].ToString());
        }

        return data;
    }

    [Fact]
    public void ReferenceUnits_File_HasEveryRow() => Assert.Equal(383, ReferenceUnits().Count);

    [Theory]
    [MemberData(nameof(ReferenceUnits))]
    public void Parse_EveryReferenceUnit_GivesItsBlockSizeAndUnit(string text, decimal blockSize, string distinctUnit)
    {
        Assert.True(UnitOfMeasure.TryParse(text, out var unit, out var error), $"'{text}' did not parse: {error}");
        Assert.Equal(text, unit.Text);
        Assert.Equal(blockSize, unit.BlockSize);
        Assert.Equal(DeliberateDifferences.GetValueOrDefault(text, distinctUnit), unit.BaseUnit);
    }

    [Theory]
    [InlineData("10K", 10000, "Units")]
    [InlineData("100 Hours", 100, "Hours")]
    [InlineData("1/Month", 1, "Units/Month")]
    [InlineData("1 GB/Hour", 1, "GB/Hour")]
    [InlineData("  5 GiB/Hour ", 5, "GiB/Hour")]
    [InlineData("3 Widgets", 3, "Widgets")]
    [InlineData("2   Hosted   Zones", 2, "Zones")]
    public void Parse_Shape_GivesBlockSizeAndUnitAndKeepsText(string text, int blockSize, string baseUnit)
    {
        var unit = UnitOfMeasure.Parse(text);

        Assert.Equal((text, (decimal)blockSize, baseUnit), (unit.Text, unit.BlockSize, unit.BaseUnit));
    }

    [Fact]
    public void Parse_LargestCountWithMultiplier_DoesNotOverflow() =>
        Assert.Equal(999_999_999_999_999_999_000_000_000m, UnitOfMeasure.Parse("999999999999999999B").BlockSize);

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("1.5 GB", "count")]
    [InlineData("1,000 GB", "count")]
    [InlineData("0 GB", "at least 1")]
    [InlineData("10X", "count")]
    [InlineData("GB 10", "does not start with a letter")]
    [InlineData("10 /", "period")]
    [InlineData("1/Fortnight", "not a period")]
    [InlineData("1 GB/Month/Day", "one slash")]
    [InlineData("Per 10", "noun")]
    [InlineData("1 GB\tHour", "control")]
    [InlineData("9999999999999999999 GB", "18 digits")]
    public void TryParse_UnknownShape_FailsWithAReason(string text, string reasonPart)
    {
        Assert.False(UnitOfMeasure.TryParse(text, out _, out var error));
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => UnitOfMeasure.Parse(text));
    }
}
