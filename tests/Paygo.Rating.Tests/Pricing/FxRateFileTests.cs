using System.Text;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Pricing;

public sealed class FxRateFileTests
{
    private const string Header = "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n";

    private static readonly BillingMonth November = new(2026, 11);

    private static FileReadResult<FxRates> Read(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return FxRateFile.Read(stream, TestContext.Current.CancellationToken);
    }

    private static FileProblem SingleProblem(string text)
    {
        var result = Read(text);
        Assert.Null(result.Value);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Read_MicrosoftShapedFile_WritesBackByteIdentical()
    {
        var text = Header + "\"EUR\",\"1.18175\",\"202611\"\r\n\"JPY\",\"0.0066889632107023\",\"202611\"\r\n\"EUR\",\"1.17000\",\"202612\"\r\n";

        var result = Read(text);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        Assert.Equal(new FxRate(CurrencyCode.Parse("JPY"), 0.0066889632107023m, November), result.Value.Rates[1]);
        using var written = new MemoryStream();
        FxRateFile.Write(written, result.Value.Rates);
        Assert.Equal(Encoding.UTF8.GetBytes(text), written.ToArray());
    }

    [Fact]
    public async Task ReadAsync_File_GivesTheRates()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Header + "\"EUR\",\"1.1\",\"202611\"\r\n"));

        var result = await FxRateFile.ReadAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal(1.1m, Assert.Single(result.Value!.Rates).UsdPerUnit);
    }

    [Fact]
    public void Read_UnquotedLfFileWithBom_IsAccepted()
    {
        var result = Read("\uFEFFCurrencyCode,USDPerUnit,Month\nGBP,1.27,202611\n");

        Assert.True(result.Succeeded);
        Assert.Equal(1.27m, Assert.Single(result.Value.Rates).UsdPerUnit);
    }

    [Fact]
    public void Read_ReferenceSampleRow_AcceptsAedButRefusesTheTruncatedMonth()
    {
        // Reference §4.4's sample row: AED is a currency of Microsoft's FX file though no partner is
        // billed in it; its month "2019" is not yyyyMM.
        var result = Read(Header + "\"AED\",\"0.27224589249009701\",\"2019\"\r\n");

        Assert.Equal([(2, FxRateFile.MonthColumn, "2019")], result.Problems.Select(p => (p.Row, p.Column, p.Value)));
        var fixedMonth = Read(Header + "\"AED\",\"0.27224589249009701\",\"201911\"\r\n");
        Assert.True(fixedMonth.Succeeded);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1.2")]
    [InlineData("0.000")]
    public void Read_NonPositiveRate_IsRefused(string rate)
    {
        var problem = SingleProblem(Header + $"\"EUR\",\"{rate}\",\"202611\"\r\n");

        Assert.Equal((2, FxRateFile.UsdPerUnitColumn, rate), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("more than 0", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonNumericRate_IsRefused() =>
        Assert.Equal(FxRateFile.UsdPerUnitColumn, SingleProblem(Header + "\"EUR\",\"1,18\",\"202611\"\r\n").Column);

    [Theory]
    [InlineData("2026-11")]
    [InlineData("202613")]
    [InlineData("202600")]
    [InlineData("11/1/2026")]
    [InlineData("")]
    public void Read_BadMonth_IsRefused(string month)
    {
        var problem = SingleProblem(Header + $"\"EUR\",\"1.1\",\"{month}\"\r\n");

        Assert.Equal((2, FxRateFile.MonthColumn, month), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Read_SameCurrencyTwiceInAMonth_NamesBothRows()
    {
        var problem = SingleProblem(Header + "\"EUR\",\"1.1\",\"202611\"\r\n\"GBP\",\"1.3\",\"202611\"\r\n\"eur\",\"1.2\",\"202611\"\r\n");

        Assert.Equal((4, FxRateFile.CurrencyCodeColumn), (problem.Row, problem.Column));
        Assert.Contains("row 2", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UsdNotOne_IsRefused() =>
        Assert.Equal(FxRateFile.UsdPerUnitColumn, SingleProblem(Header + "\"USD\",\"1.01\",\"202611\"\r\n").Column);

    [Fact]
    public void Read_WrongHeader_NamesTheColumn()
    {
        var problem = SingleProblem("CurrencyCode,Rate,Month\r\nEUR,1.1,202611\r\n");

        Assert.Equal((1, FxRateFile.UsdPerUnitColumn, "Rate"), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Read_EveryProblem_IsReportedAndNothingReturned()
    {
        var result = Read(Header + "\"EUR\",\"0\",\"202611\"\r\n\"XYZ\",\"1\",\"202611\"\r\n\"GBP\",\"1.3\"\r\n");

        Assert.Null(result.Value);
        Assert.Equal([2, 3, 4], result.Problems.Select(p => p.Row));
    }

    [Fact]
    public void PcToBcExchangeRate_ReferenceEuroRate_IsOneOverUsdPerUnitToNineDecimals()
    {
        var rates = Read(Header + "\"EUR\",\"1.18175\",\"202611\"\r\n").Value!;

        var lookup = rates.PcToBcExchangeRate(CurrencyCode.Parse("EUR"), November);

        // 1 / 1.18175 = 0.846202665538…; reference §4.3's sample PCToBCExchangeRate is 0.846202666.
        Assert.Equal(new ExchangeRateLookup(ExchangeRateStatus.Found, CurrencyCode.Parse("EUR"), November, 0.846202666m), lookup);
    }

    [Theory]
    [InlineData("1.6384", "0.610351562")] // 1/x = 0.6103515625 exactly: half-even keeps the even 2
    [InlineData("0.8", "1.250000000")]
    [InlineData("0.0066889632107023", "149.500000000")]
    [InlineData("3", "0.333333333")]
    [InlineData("1.5", "0.666666667")]
    [InlineData("0.1234567890123456789012345678", "8.100000073")] // 28 digits: the full decimal mantissa
    [InlineData("7922816251426433.7593543950335", "0.000000000")]
    public void ToPcToBcExchangeRate_RoundsHalfEvenToNineDecimals(string usdPerUnit, string expected)
    {
        var rate = FxRates.ToPcToBcExchangeRate(decimal.Parse(usdPerUnit, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void PcToBcExchangeRate_Usd_IsOneWithoutARate()
    {
        var rates = FxRates.FromRates([]).Value!;

        Assert.Equal(1m, rates.PcToBcExchangeRate(CurrencyCode.Usd, November).PcToBcExchangeRate);
    }

    [Fact]
    public void PcToBcExchangeRate_NoRateForTheMonth_IsMissingNamingCurrencyAndMonth()
    {
        var rates = FxRates.FromRates([new FxRate(CurrencyCode.Parse("EUR"), 1.1m, November)]).Value!;

        var lookup = rates.PcToBcExchangeRate(CurrencyCode.Parse("EUR"), new BillingMonth(2026, 12));

        Assert.Equal(ExchangeRateStatus.Missing, lookup.Status);
        Assert.False(lookup.Found);
        Assert.Equal((CurrencyCode.Parse("EUR"), new BillingMonth(2026, 12)), (lookup.Currency, lookup.Month));
        Assert.Equal("no FX rate for EUR in 2026-12", lookup.ToString());
    }

    [Fact]
    public void FromRates_Duplicate_IsRefusedLikeTheFile()
    {
        var eur = new FxRate(CurrencyCode.Parse("EUR"), 1.1m, November);

        var result = FxRates.FromRates([eur, eur with { UsdPerUnit = 1.2m }]);

        Assert.Equal((3, FxRateFile.CurrencyCodeColumn), (Assert.Single(result.Problems).Row, result.Problems[0].Column));
    }

    [Fact]
    public void BillingMonth_FileTextAndIso_AreBothWritten()
    {
        Assert.True(BillingMonth.TryParseFileText("202611", out var month));
        Assert.Equal((November, "202611", "2026-11"), (month, month.ToFileText(), month.ToString()));
        Assert.True(month.Contains(new DateOnly(2026, 11, 30)));
        Assert.Equal(month, BillingMonth.Of(new DateOnly(2026, 11, 1)));
        Assert.True(new BillingMonth(2026, 12) > month);
    }

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData(" 2026-11 ", true)]
    [InlineData("2026-1", false)]
    [InlineData("2026-13", false)]
    [InlineData("2026-00", false)]
    [InlineData("2026-11-01", false)]
    [InlineData("202611", false)]
    [InlineData("2026/11", false)]
    [InlineData("+026-11", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void BillingMonth_TryParse_ReadsOnlyYearDashMonth(string? text, bool valid)
    {
        Assert.Equal(valid, BillingMonth.TryParse(text, out var month));
        Assert.Equal(valid ? November : default, month);
    }

    [Theory]
    [InlineData("0.000000000000000000000000000012", "0")]
    [InlineData("0.27224589249009701123456789012", "0.2722458924900970112345678901")]
    public void Read_RateWithMoreDigitsThanADecimalHolds_IsRefusedNotRounded(string rate, string storedAs)
    {
        var problem = SingleProblem(Header + $"\"EUR\",\"{rate}\",\"202611\"\r\n");

        Assert.Equal((2, FxRateFile.UsdPerUnitColumn, rate), (problem.Row, problem.Column, problem.Value));
        Assert.EndsWith($"stored as {storedAs}", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    public void Read_HeaderWithoutRows_IsRefused(string end)
    {
        var problem = SingleProblem(Header.TrimEnd() + end);

        Assert.Equal(2, problem.Row);
        Assert.Contains("no rates", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"EUR\",\"1.1\",\"202611\"\r\n\"GBP\",\"1.3\",\"202611")]
    [InlineData("\"EUR\",\"1.1\",\"202611\"\r\n\"GBP\",\"1.3\",\"202611\r\n")]
    public void Read_UnterminatedQuoteOnTheLastRow_IsRefused(string rows)
    {
        var problem = SingleProblem(Header + rows);

        Assert.Equal(3, problem.Row);
        Assert.Contains("never closed", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NulCharacter_IsRefused()
    {
        var problem = SingleProblem(Header + "\"EUR\",\"1.1\",\"202611\"\r\n\"GB\0P\",\"1.3\",\"202611\"\r\n");

        Assert.Equal(3, problem.Row);
        Assert.Contains("NUL", problem.Reason, StringComparison.Ordinal);
    }
}
