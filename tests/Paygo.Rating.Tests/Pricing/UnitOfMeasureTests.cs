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
}
