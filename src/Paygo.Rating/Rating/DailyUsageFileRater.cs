using System.Globalization;
using nietras.SeparatedValues;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Rating;

/// <summary>What a file-mode run did: the totals, or the problems that stopped it before anything was written.</summary>
public sealed class FileRatingResult
{
    internal FileRatingResult(RatingTotals totals, int groups, IReadOnlyList<FileProblem> problems, long problemCount)
    {
        Totals = totals;
        Groups = groups;
        Problems = problems;
        ProblemCount = problemCount;
    }

    public RatingTotals Totals { get; }

    /// <summary>Distinct (plan, meter, day) groups: what the run's memory grew with.</summary>
    public int Groups { get; }

    /// <summary>The first problems, by row then column; empty when the file was rated.</summary>
    public IReadOnlyList<FileProblem> Problems { get; }

    public long ProblemCount { get; }

    public bool Succeeded => ProblemCount == 0;
}

/// <summary>
/// Rates a daily rated usage file (reference §5.3; Microsoft's own or Paygo's) into the same
/// 55 columns: pass one reads the file and sums the groups, pass two reads it again and writes
/// each row with its input columns passed through verbatim (quotes and all, so a file round-trips)
/// and its price columns computed. The input must be seekable (a file). A row that cannot be
/// rated stops the run after pass one: nothing is written, and each such row is named with its
/// column (DOMAIN.md §6, all or nothing).
/// </summary>
public static class DailyUsageFileRater
{
    /// <summary>Problems reported by name; the rest are counted.</summary>
    public const int MaxReported = 50;

    private static readonly SepReaderOptions ReaderOptions = new Sep(',').Reader() with
    {
        HasHeader = false,
        Unescape = false,
        DisableColCountCheck = true,
    };

    private static readonly ColumnTable Table = DailyRatedUsageFile.Table;

    private enum Fill : byte
    {
        PassThrough,
        UnitPrice,
        EffectiveUnitPrice,
        PricingPreTaxTotal,
        BillingPreTaxTotal,
        PricingCurrency,
        BillingCurrency,
        ExchangeRate,
        ExchangeRateDate,
        PecPercentage,
    }

    /// <summary>
    /// Runs both passes. <paramref name="openOutput"/> (and <paramref name="openEvidence"/>) are
    /// called only once pass one found nothing wrong; <paramref name="progress"/> hears the pass
    /// (1 or 2) and the share of the input read.
    /// </summary>
    public static FileRatingResult Rate(
        Stream usage,
        MonthRater rater,
        CurrencyCode billingCurrency,
        Func<Stream> openOutput,
        Func<Stream>? openEvidence = null,
        Action<int, double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(rater);
        ArgumentNullException.ThrowIfNull(openOutput);
        if (!usage.CanSeek)
        {
            throw new ArgumentException("File mode reads the usage twice; give it a file.", nameof(usage));
        }

        var problems = new ProblemCollector(MaxReported);
        var start = usage.Position;
        if (ReadPass(usage, rater, problems, null, null, billingCurrency, progress, cancellationToken) is not { } header)
        {
            return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
        }

        if (problems.Count > 0)
        {
            return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
        }

        rater.Seal();
        usage.Position = start;
        using var output = new StreamWriter(openOutput(), CsvText.Utf8NoBom, 1 << 20);
        using var evidence = openEvidence is null ? null : new StreamWriter(openEvidence(), CsvText.Utf8NoBom, 1 << 16);
        var writer = new RowWriter(output, evidence, header, rater, billingCurrency);
        ReadPass(usage, rater, problems, writer, header, billingCurrency, progress, cancellationToken);
        return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
    }

    /// <summary>The evidence file's header: one row per usage row, in file order.</summary>
    public static IReadOnlyList<string> EvidenceHeader { get; } =
        ["Row", "EntitlementId", "ResourceURI", "MeterId", "UsageDate", "PartnerEarnedCreditPercentage", "Reason", "Evidence"];

    // Returns the header map (input position of each table column, -1 when absent), or null when the header is wrong.
    private static int[]? ReadPass(Stream usage, MonthRater rater, ProblemCollector problems, RowWriter? writer, int[]? header, CurrencyCode billingCurrency, Action<int, double>? progress, CancellationToken cancellationToken)
    {
        using var text = CsvText.OpenText(usage);
        using var reader = ReaderOptions.From(text);
        var length = usage.Length;
        var pass = writer is null ? 1 : 2;
        int[]? map = header;
        var columns = 0;
        var row = new UsageRow();
        var sawHeader = false;
        foreach (var record in reader)
        {
            if (!sawHeader)
            {
                sawHeader = true;
                map = ReadHeader(record, problems);
                if (map is null)
                {
                    return null;
                }

                columns = record.ColCount;
                writer?.WriteHeader();
                continue;
            }

            if ((record.RowIndex & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(pass, length == 0 ? 1 : Math.Min(1, (double)usage.Position / length));
            }

            var rowNumber = record.RowIndex + 1;
            if (record.ColCount != columns)
            {
                if (record.ColCount == 1 && record[0].Span.IsEmpty)
                {
                    continue;
                }

                problems.AddRow(rowNumber, $"the row has {record.ColCount} fields; the header has {columns} (a comma inside a value needs the value in double quotes)");
                continue;
            }

            var m = map!;
            row.PlanId = Cell(record, m[SubscriptionId]);
            row.MeterId = Cell(record, m[MeterId]);
            row.UsageDate = Cell(record, m[UsageDate]);
            row.Quantity = Cell(record, m[Quantity]);
            row.Market = Cell(record, m[CustomerCountry]);
            row.EntitlementId = Cell(record, m[EntitlementId]);
            row.ResourceUri = Cell(record, m[ResourceUri]);
            row.PartnerId = Cell(record, m[MpnId]);
            row.ResellerId = Cell(record, m[ResellerMpnId]);
            if (writer is null)
            {
                var problem = rater.Add(row);
                if (problem == UsageProblem.None)
                {
                    problem = CheckPassTwoColumns(row);
                }

                if (problem != UsageProblem.None)
                {
                    var column = Table[UsageProblems.Column(problem)];
                    var value = m[column.Index] < 0 ? default : Cell(record, m[column.Index]);
                    problems.Add(rowNumber, column, value, UsageProblems.Reason(problem, rater.Prices));
                }

                continue;
            }

            writer.Write(record, row, rowNumber);
        }

        if (!sawHeader)
        {
            problems.AddRow(1, $"the file is empty; its first row must be the daily rated usage header {string.Join(',', Table.Header)}");
            return null;
        }

        progress?.Invoke(pass, 1);
        return map;
    }

    // What pass two needs beyond pass one, checked in pass one so a run fails before writing.
    private static UsageProblem CheckPassTwoColumns(in UsageRow row)
    {
        if (!Guid.TryParseExact(row.EntitlementId, "D", out _))
        {
            return UsageProblem.BadEntitlement;
        }

        if (row.ResourceUri.IsEmpty)
        {
            return UsageProblem.NoResource;
        }

        return row.PartnerId.IsEmpty ? UsageProblem.NoPartner : UsageProblem.None;
    }

    private static readonly int SubscriptionId = Table.IndexOf("SubscriptionId");
    private static readonly int MeterId = Table.IndexOf("MeterId");
    private static readonly int UsageDate = Table.IndexOf("UsageDate");
    private static readonly int Quantity = Table.IndexOf("Quantity");
    private static readonly int CustomerCountry = Table.IndexOf("CustomerCountry");
    private static readonly int EntitlementId = Table.IndexOf("EntitlementId");
    private static readonly int ResourceUri = Table.IndexOf("ResourceURI");
    private static readonly int MpnId = Table.IndexOf("MPNID");
    private static readonly int ResellerMpnId = Table.IndexOf("ResellerMPNID");

    // A key cell without its quotes: the file may quote any field, and Unescape is off so
    // pass-through columns are copied exactly as written.
    private static ReadOnlySpan<char> Cell(SepReader.Row record, int index)
    {
        if (index < 0)
        {
            return default;
        }

        var span = record[index].Span;
        return span.Length >= 2 && span[0] == '"' && span[^1] == '"' ? span[1..^1] : span;
    }

    // Columns may come in any order and any may be missing, except the ones the rule needs; a
    // name that is not one of the 55 is refused (a typo would otherwise drop a column silently).
    private static int[]? ReadHeader(SepReader.Row record, ProblemCollector problems)
    {
        var map = new int[Table.Count];
        Array.Fill(map, -1);
        var ok = true;
        for (var j = 0; j < record.ColCount; j++)
        {
            var name = Cell(record, j).ToString();
            if (j == 0 && name.Length > 0 && name[0] == '\uFEFF')
            {
                name = name[1..];
            }

            if (!Table.Contains(name))
            {
                problems.Add(1, Table.Count + j, name, name, $"column {j + 1} is not a daily rated usage column; the columns are {string.Join(',', Table.Header)}");
                ok = false;
                continue;
            }

            var index = Table.IndexOf(name);
            if (map[index] >= 0)
            {
                problems.Add(1, Table[name], name, $"column {name} is given twice");
                ok = false;
                continue;
            }

            map[index] = j;
        }

        foreach (var column in Table.Columns)
        {
            if (column.Required && map[column.Index] < 0)
            {
                problems.Add(1, column, string.Empty, $"column {column.Name} is missing; file mode needs PartnerId, MPNID, CustomerId, SubscriptionId, EntitlementId, ResourceURI, MeterId, UsageDate and Quantity");
                ok = false;
            }
        }

        return ok ? map : null;
    }

    private sealed class RowWriter
    {
        private readonly StreamWriter _output;
        private readonly StreamWriter? _evidence;
        private readonly int[] _map;
        private readonly Fill[] _fill;
        private readonly MonthRater _rater;
        private readonly string _billingCurrency;
        private readonly string _exchangeRate;
        private readonly string _exchangeRateDate;
        private readonly RatedRow _rated = new();
        private readonly char[] _number = new char[64];

        public RowWriter(StreamWriter output, StreamWriter? evidence, int[] map, MonthRater rater, CurrencyCode billingCurrency)
        {
            _output = output;
            _evidence = evidence;
            _map = map;
            _rater = rater;
            _billingCurrency = billingCurrency.Value;
            _exchangeRate = rater.PcToBcExchangeRate.ToString(CultureInfo.InvariantCulture);
            _exchangeRateDate = rater.ExchangeRateDate.ToDateTime(TimeOnly.MinValue).ToString(PriceText.DateFormat, CultureInfo.InvariantCulture);
            _fill = new Fill[Table.Count];
            _fill[Table.IndexOf("UnitPrice")] = Fill.UnitPrice;
            _fill[Table.IndexOf("EffectiveUnitPrice")] = Fill.EffectiveUnitPrice;
            _fill[Table.IndexOf("PricingPreTaxTotal")] = Fill.PricingPreTaxTotal;
            _fill[Table.IndexOf("BillingPreTaxTotal")] = Fill.BillingPreTaxTotal;
            _fill[Table.IndexOf("PricingCurrency")] = Fill.PricingCurrency;
            _fill[Table.IndexOf("BillingCurrency")] = Fill.BillingCurrency;
            _fill[Table.IndexOf("PCToBCExchangeRate")] = Fill.ExchangeRate;
            _fill[Table.IndexOf("PCToBCExchangeRateDate")] = Fill.ExchangeRateDate;
            _fill[Table.IndexOf("PartnerEarnedCreditPercentage")] = Fill.PecPercentage;
        }

        public void WriteHeader()
        {
            for (var i = 0; i < Table.Count; i++)
            {
                if (i > 0)
                {
                    _output.Write(',');
                }

                _output.Write(Table.Header[i]);
            }

            _output.Write(CsvText.NewLine);
            if (_evidence is not null)
            {
                _evidence.Write(string.Join(',', EvidenceHeader));
                _evidence.Write(CsvText.NewLine);
            }
        }

        public void Write(SepReader.Row record, in UsageRow row, int rowNumber)
        {
            var problem = _rater.Rate(row, _rated);
            if (problem != UsageProblem.None)
            {
                // Pass one accepted the row, so the file changed between the passes.
                throw new InvalidOperationException($"row {rowNumber}: {UsageProblems.Reason(problem, _rater.Prices)}");
            }

            var output = _output;
            var rated = _rated;
            for (var i = 0; i < _fill.Length; i++)
            {
                if (i > 0)
                {
                    output.Write(',');
                }

                switch (_fill[i])
                {
                    case Fill.PassThrough:
                        if (_map[i] >= 0)
                        {
                            output.Write(record[_map[i]].Span);
                        }

                        break;
                    case Fill.UnitPrice:
                        Number(rated.UnitPrice);
                        break;
                    case Fill.EffectiveUnitPrice:
                        Number(rated.EffectiveUnitPrice);
                        break;
                    case Fill.PricingPreTaxTotal:
                        Number(rated.PricingPreTaxTotal);
                        break;
                    case Fill.BillingPreTaxTotal:
                        Number(rated.BillingPreTaxTotal);
                        break;
                    case Fill.PricingCurrency:
                        output.Write("USD");
                        break;
                    case Fill.BillingCurrency:
                        output.Write(_billingCurrency);
                        break;
                    case Fill.ExchangeRate:
                        output.Write(_exchangeRate);
                        break;
                    case Fill.ExchangeRateDate:
                        output.Write(_exchangeRateDate);
                        break;
                    default:
                        output.Write(rated.PecPercent == 0 ? "0" : "15");
                        break;
                }
            }

            output.Write(CsvText.NewLine);
            if (_evidence is { } evidence)
            {
                WriteEvidence(evidence, row, rowNumber);
            }
        }

        private void Number(decimal value)
        {
            value.TryFormat(_number, out var written, default, CultureInfo.InvariantCulture);
            _output.Write(_number.AsSpan(0, written));
        }

        private void WriteEvidence(StreamWriter evidence, in UsageRow row, int rowNumber)
        {
            evidence.Write(rowNumber.ToString(CultureInfo.InvariantCulture));
            evidence.Write(',');
            CsvText.WriteField(evidence, row.EntitlementId);
            evidence.Write(',');
            CsvText.WriteField(evidence, row.ResourceUri);
            evidence.Write(',');
            CsvText.WriteField(evidence, row.MeterId);
            evidence.Write(',');
            CsvText.WriteField(evidence, row.UsageDate);
            evidence.Write(',');
            evidence.Write(_rated.PecPercent == 0 ? "0" : "15");
            evidence.Write(',');
            evidence.Write(_rated.Pec.Reason.ToString());
            evidence.Write(',');
            CsvText.WriteField(evidence, _rated.Access!.Describe(_rated.Pec));
            evidence.Write(CsvText.NewLine);
        }
    }
}
