using System.Text;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;
using static Paygo.Rating.Tests.Pricing.PriceListCsv;

namespace Paygo.Rating.Tests.Pricing;

/// <summary>
/// Every malformed file is refused whole: no list, and each problem names the spreadsheet row
/// (header = row 1, first data row = row 2), the column and the offending value.
/// </summary>
public sealed class PriceListProblemTests
{
    private static readonly SampleRow Base = new();

    private static readonly string[] Columns = [.. PriceListColumns.All];

    [Fact]
    public void Read_MissingColumn_NamesItInRowOne()
    {
        var header = string.Join(',', Columns[..^1]);

        var problem = SingleProblem(header + "\r\n" + string.Join(',', Enumerable.Repeat("x", 17)) + "\r\n");

        Assert.Equal((1, PriceListColumns.Tags), (problem.Row, problem.Column));
        Assert.Contains("missing", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExtraColumn_NamesIt()
    {
        var problem = SingleProblem(Header + ",Discount\r\n" + Base.ToLine() + ",0\r\n");

        Assert.Equal((1, "Discount", "Discount"), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Read_MisorderedColumns_NamesBoth()
    {
        var swapped = (string[])Columns.Clone();
        (swapped[1], swapped[2]) = (swapped[2], swapped[1]);

        var result = Read(string.Join(',', swapped) + "\r\n" + Base.ToLine() + "\r\n");

        Assert.Null(result.Value);
        Assert.Equal(
            [(1, PriceListColumns.ProductId, "column ProductId is column 3; it must be column 2 of 18"),
             (1, PriceListColumns.SkuId, "column SkuId is column 2; it must be column 3 of 18")],
            result.Problems.Select(p => (p.Row, p.Column, p.Reason)));
    }

    [Fact]
    public void Read_MisspelledHeader_IsMissingPlusUnexpected()
    {
        var header = Header.Replace("MeterIds", "MeterId", StringComparison.Ordinal);

        var result = Read(header + "\r\n" + Base.ToLine() + "\r\n");

        Assert.Equal([PriceListColumns.MeterIds, "MeterId"], result.Problems.Select(p => p.Column));
    }

    [Fact]
    public void Read_EmptyFile_SaysTheHeaderIsMissing()
    {
        var problem = SingleProblem(string.Empty);

        Assert.Equal(1, problem.Row);
        Assert.Null(problem.Column);
        Assert.Contains("empty", problem.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadCells() => new()
    {
        { PriceListColumns.EffectiveStartDate, "3/32/2018 12:00:00 AM", "a UTC date" },
        { PriceListColumns.EffectiveStartDate, "2018-13-01", "a UTC date" },
        { PriceListColumns.EffectiveEndDate, "tomorrow", "a UTC date" },
        { PriceListColumns.EffectiveStartDate, string.Empty, "required" },
        { PriceListColumns.UnitPrice, "-0.5", "negative" },
        { PriceListColumns.UnitPrice, "abc", "must be a number" },
        { PriceListColumns.UnitPrice, "1,5", "must be a number" },
        { PriceListColumns.UnitPrice, " 1", "must be a number" },
        { PriceListColumns.UnitPrice, "+1", "must be a number" },
        { PriceListColumns.UnitPrice, "+1000000000000000000000", "must be a number" },
        { PriceListColumns.UnitPrice, "=1+1", "must be a number" },
        { PriceListColumns.UnitPrice, string.Empty, "required" },
        { PriceListColumns.ProductId, string.Empty, "required" },
        { PriceListColumns.ProductTitle, "   ", "required" },
        { PriceListColumns.SkuId, string.Empty, "required" },
        { PriceListColumns.SkuTitle, string.Empty, "required" },
        { PriceListColumns.Publisher, string.Empty, "required" },
        { PriceListColumns.MeterIds, string.Empty, "required" },
        { PriceListColumns.UnitOfMeasure, string.Empty, "required" },
        { PriceListColumns.UnitOfMeasure, "1.5 GB", "count" },
        { PriceListColumns.Market, "USA", "two-letter" },
        { PriceListColumns.Market, string.Empty, "two-letter" },
        { PriceListColumns.Currency, "EUR", "USD only" },
        { PriceListColumns.Currency, string.Empty, "required" },
    };

    [Theory]
    [MemberData(nameof(BadCells))]
    public void Read_BadCell_NamesRowColumnAndValue(string column, string value, string reasonPart)
    {
        var row = With(Base, column, value);

        var problem = SingleProblem(File(Base with { MeterIds = "other" }, row));

        Assert.Equal((3, column, value), (problem.Row, problem.Column, problem.Value));
        Assert.Contains(reasonPart, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonNumericTierBound_NamesIt()
    {
        var problem = SingleProblem(File(Base.Tier("1", "one", "100"), Base.Tier("0.8", "101", Open)));

        Assert.Equal((2, PriceListColumns.PricingTierRangeMin, "one"), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Read_OverlappingTiers_NamesTheLaterTier()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", "100"), Base.Tier("0.8", "100", Open)));

        Assert.Equal((3, PriceListColumns.PricingTierRangeMin, "100"), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("overlaps the tier at row 2", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("must start at 101", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GappedTiers_NamesTheTierAfterTheGap()
    {
        // Listed out of order: the gap is found after sorting, and still names the file's rows.
        var problem = SingleProblem(File(Base.Tier("0.8", "102", Open), Base.Tier("1", "1", "100")));

        Assert.Equal((2, PriceListColumns.PricingTierRangeMin, "102"), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("gap after the tier at row 3", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TiersSharingAStart_AreAnOverlap()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", "100"), Base.Tier("0.9", "1", Open)));

        Assert.Equal((3, PriceListColumns.PricingTierRangeMin), (problem.Row, problem.Column));
    }

    [Fact]
    public void Read_FirstTierNotAtZeroOrOne_IsRefused()
    {
        var problem = SingleProblem(File(Base.Tier("1", "5", "100"), Base.Tier("0.8", "101", Open)));

        Assert.Equal((2, PriceListColumns.PricingTierRangeMin, "5"), (problem.Row, problem.Column, problem.Value));
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854780001")]
    [InlineData("99999999999999999999")]
    public void Read_WrongOpenEndedSentinel_NamesTheMax(string max)
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", "100"), Base.Tier("0.8", "101", max)));

        Assert.Equal((3, PriceListColumns.PricingTierRangeMax, max), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("9223372036854780000", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LastTierNotOpenEnded_IsRefused()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", "100"), Base.Tier("0.8", "101", "1000")));

        Assert.Equal((3, PriceListColumns.PricingTierRangeMax, "1000"), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("open-ended", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TierFollowingAnOpenEndedTier_IsRefused()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", Open), Base.Tier("0.8", "101", Open)));

        Assert.Equal((3, PriceListColumns.PricingTierRangeMin), (problem.Row, problem.Column));
        Assert.Contains("open-ended", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OneTierBoundBlank_NamesTheBlankOne()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", string.Empty)));

        Assert.Equal((2, PriceListColumns.PricingTierRangeMax, string.Empty), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Read_FractionalTierBound_IsRefused()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", "100.5"), Base.Tier("0.8", "101", Open)));

        Assert.Equal((2, PriceListColumns.PricingTierRangeMax, "100.5"), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Read_UntieredRowBesideTieredRows_IsRefused()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", "100"), Base.Tier("0.8", "101", Open), Base));

        Assert.Equal((4, PriceListColumns.PricingTierRangeMin), (problem.Row, problem.Column));
    }

    [Fact]
    public void Read_DuplicateRow_NamesTheSecondCopy()
    {
        var problem = SingleProblem(File(Base, Base with { MeterIds = "other" }, Base));

        Assert.Equal(4, problem.Row);
        Assert.Null(problem.Column);
        Assert.Equal("the row repeats row 2", problem.Reason);
    }

    [Fact]
    public void Read_OverlappingEffectivePeriods_AreRefused()
    {
        var march = Base with { EffectiveStartDate = "3/1/2026 12:00:00 AM", EffectiveEndDate = "3/31/2026 11:59:59 PM" };
        var fromMid = Base with { EffectiveStartDate = "3/15/2026 12:00:00 AM", UnitPrice = "2" };

        var problem = SingleProblem(File(march, fromMid));

        Assert.Equal((3, PriceListColumns.EffectiveStartDate), (problem.Row, problem.Column));
        Assert.Contains("row 2", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PriceEndingBeforeItStarts_IsRefused()
    {
        var problem = SingleProblem(File(Base with { EffectiveStartDate = "3/2/2026 12:00:00 AM", EffectiveEndDate = "3/1/2026 12:00:00 AM" }));

        Assert.Equal((2, PriceListColumns.EffectiveEndDate), (problem.Row, problem.Column));
    }

    [Fact]
    public void Read_WrongFieldCount_NamesTheRow()
    {
        var problem = SingleProblem(Lines(Base.ToLine(), "a,b,c"));

        Assert.Equal(3, problem.Row);
        Assert.Null(problem.Column);
        Assert.Contains("3 fields", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_IsAProblemNotAnException()
    {
        // A Latin-1 "é" (one byte, 0xE9) where UTF-8 needs two.
        var bytes = Encoding.UTF8.GetBytes(File(Base with { MeterIds = "other" }, Base with { SkuTitle = "Caf@" }));
        bytes[Array.LastIndexOf(bytes, (byte)'@')] = 0xE9;

        var result = Read(bytes);

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((3, PriceListColumns.SkuTitle), (problem.Row, problem.Column));
        Assert.Contains("UTF-8", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OneBadCellInATieredMeter_GivesOneProblemNotATierGap()
    {
        var problem = SingleProblem(File(Base.Tier("1", "1", "100"), Base.Tier("x", "101", "1000"), Base.Tier("0.5", "1001", Open)));

        Assert.Equal((3, PriceListColumns.UnitPrice), (problem.Row, problem.Column));
    }

    [Fact]
    public void Read_ProblemsInSeveralRows_ReportsEveryOneInRowOrder()
    {
        var result = Read(File(
            Base with { MeterIds = "a", UnitPrice = "-1" },
            Base with { MeterIds = "b" },
            Base with { MeterIds = "c", EffectiveStartDate = "x", Market = "U" },
            (Base with { MeterIds = "d" }).Tier("1", "1", "10"),
            (Base with { MeterIds = "d" }).Tier("1", "12", Open)));

        Assert.Null(result.Value);
        Assert.Equal(
            [(2, PriceListColumns.UnitPrice), (4, PriceListColumns.Market), (4, PriceListColumns.EffectiveStartDate), (6, PriceListColumns.PricingTierRangeMin)],
            result.Problems.Select(p => (p.Row, p.Column)));
        Assert.Equal(4, result.ProblemCount);
    }

    [Fact]
    public void Read_MoreThanAThousandProblems_KeepsTheFirstThousandAndCountsAll()
    {
        var rows = Enumerable.Range(0, 1_500).Select(i => Base with { MeterIds = $"m{i}", UnitPrice = "free" }).ToArray();

        var result = Read(File(rows));

        Assert.Equal(FileProblems.MaxReported, result.Problems.Count);
        Assert.Equal(1_500, result.ProblemCount);
        Assert.True(result.ProblemsTruncated);
        Assert.Equal(Enumerable.Range(2, 1_000), result.Problems.Select(p => p.Row));
    }

    [Fact]
    public void Read_LongBadValue_IsClipped()
    {
        var problem = SingleProblem(File(Base with { UnitPrice = new string('9', 300) + "x" }));

        Assert.Equal(FileProblems.MaxValueLength, problem.Value!.Length);
        Assert.EndsWith("…", problem.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.00000000000000000000000000001", "0")]
    [InlineData("0.12345678901234567890123456789", "0.1234567890123456789012345679")]
    [InlineData("1E-29", "0")]
    [InlineData("9234567890123456789012345678.9", "9234567890123456789012345679")]
    [InlineData("-0.00000000000000000000000000001", "0")]
    public void Read_PriceWithMoreDigitsThanADecimalHolds_IsRefusedNotRounded(string price, string storedAs)
    {
        var problem = SingleProblem(File(Base with { MeterIds = "other" }, Base with { UnitPrice = price }));

        Assert.Equal((3, PriceListColumns.UnitPrice, price), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("more digits than Paygo keeps exactly", problem.Reason, StringComparison.Ordinal);
        Assert.EndsWith($"stored as {storedAs}", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("1234567890.123456789012345678")]
    [InlineData("2.2E-27")]
    [InlineData("0.000000000000000000000000000000")]
    [InlineData("1234567890123456789012345678.9")]
    public void Read_PriceWithUpTo28Decimals_IsKeptExactly(string price)
    {
        var list = ReadValid(File(Base with { UnitPrice = price }));

        var expected = decimal.Parse(price, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Assert.Single(list.Rows).UnitPrice);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("")]
    public void Read_UnterminatedQuoteOnTheLastRow_IsRefused(string end)
    {
        // The last value opens a quote and never closes it: a reader takes the rest of the file as its value.
        var last = (Base with { MeterIds = "other" }).ToLine();
        var text = Header + "\r\n" + Base.ToLine() + "\r\n" + last[..^1] + end;

        var problem = SingleProblem(text);

        Assert.Equal(3, problem.Row);
        Assert.Null(problem.Column);
        Assert.Contains("never closed", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnterminatedQuoteSwallowingLaterRows_NamesTheRowWhereItOpens()
    {
        var text = Lines(Base.ToLine(), "\"Azure Monitor" + (Base with { MeterIds = "b" }).ToLine()[13..], (Base with { MeterIds = "c" }).ToLine());

        var problem = SingleProblem(text);

        Assert.Equal(3, problem.Row);
        Assert.Contains("never closed", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("")]
    [InlineData("\r\n\r\n\r\n")]
    public void Read_HeaderWithoutRows_IsRefusedRatherThanAnEmptyList(string end)
    {
        var problem = SingleProblem(Header + end);

        Assert.Equal(2, problem.Row);
        Assert.Null(problem.Column);
        Assert.Contains("no prices", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NulCharacter_IsRefusedAtItsCell()
    {
        var problem = SingleProblem(File(Base with { MeterIds = "other" }, Base with { SkuTitle = "Stan\0dard" }));

        Assert.Equal((3, PriceListColumns.SkuTitle, "Stan\0dard"), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("NUL", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NulCharacterInTheHeader_IsRefused()
    {
        var result = Read(Header.Replace("Tags", "Ta\0gs", StringComparison.Ordinal) + "\r\n" + Base.ToLine() + "\r\n");

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(1, problem.Row);
        Assert.Contains("NUL", problem.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> FormulaCells() => new()
    {
        { PriceListColumns.ProductTitle, "=HYPERLINK(\"http://evil.example\",\"Azure\")" },
        { PriceListColumns.ProductId, "=1+1" },
        { PriceListColumns.SkuId, "-A1" },
        { PriceListColumns.SkuTitle, "+cmd|' /C calc'!A0" },
        { PriceListColumns.Publisher, "@SUM(A1:A9)" },
        { PriceListColumns.SkuDescription, "-2+3" },
        { PriceListColumns.TermDuration, "-" },
        { PriceListColumns.MeterIds, "\t=1" },
        { PriceListColumns.MeterType, "\r=1" },
        { PriceListColumns.Tags, "=cmd" },
    };

    [Theory]
    [MemberData(nameof(FormulaCells))]
    public void Read_TextCellAFormulaWouldRun_IsRefused(string column, string value)
    {
        var problem = SingleProblem(File(Base with { MeterIds = "other" }, WithText(Base, column, value)));

        Assert.Equal((3, column, value), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("formula", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PriceListColumns.SkuTitle, "D2+ v3")]
    [InlineData(PriceListColumns.SkuDescription, "Standard - LRS @ 1 GB")]
    [InlineData(PriceListColumns.SkuDescription, "-0.5")]
    [InlineData(PriceListColumns.Tags, "Azure,+Premium")]
    [InlineData(PriceListColumns.ProductTitle, "1+1 Backup")]
    public void Read_PlusMinusOrAtInsideText_IsKept(string column, string value)
    {
        var list = ReadValid(File(WithText(Base, column, value)));

        Assert.Single(list.Rows);
    }

    private static SampleRow WithText(SampleRow row, string column, string value) => column switch
    {
        PriceListColumns.ProductTitle => row with { ProductTitle = value },
        PriceListColumns.ProductId => row with { ProductId = value },
        PriceListColumns.SkuId => row with { SkuId = value },
        PriceListColumns.SkuTitle => row with { SkuTitle = value },
        PriceListColumns.Publisher => row with { Publisher = value },
        PriceListColumns.SkuDescription => row with { SkuDescription = value },
        PriceListColumns.TermDuration => row with { TermDuration = value },
        PriceListColumns.MeterIds => row with { MeterIds = value },
        PriceListColumns.MeterType => row with { MeterType = value },
        PriceListColumns.Tags => row with { Tags = value },
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    private static SampleRow With(SampleRow row, string column, string value) => column switch
    {
        PriceListColumns.EffectiveStartDate => row with { EffectiveStartDate = value },
        PriceListColumns.EffectiveEndDate => row with { EffectiveEndDate = value },
        PriceListColumns.UnitPrice => row with { UnitPrice = value },
        PriceListColumns.ProductId => row with { ProductId = value },
        PriceListColumns.ProductTitle => row with { ProductTitle = value },
        PriceListColumns.SkuId => row with { SkuId = value },
        PriceListColumns.SkuTitle => row with { SkuTitle = value },
        PriceListColumns.Publisher => row with { Publisher = value },
        PriceListColumns.MeterIds => row with { MeterIds = value },
        PriceListColumns.UnitOfMeasure => row with { UnitOfMeasure = value },
        PriceListColumns.Market => row with { Market = value },
        PriceListColumns.Currency => row with { Currency = value },
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };
}
