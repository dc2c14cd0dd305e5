using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

/// <summary>How a file-mode run uses the machine: threads (0: one per core) and bytes per block of rows.</summary>
public sealed record FileRatingOptions(int Workers = 0, int BlockBytes = CsvBlocks.DefaultBlockBytes);

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
    /// (1 or 2) and the share of the input read. A UTF-8 file is cut into blocks of whole rows
    /// rated on one thread per core and written in file order (ADR 0046); the output is the same
    /// bytes whatever the number of threads or the block size.
    /// </summary>
    public static FileRatingResult Rate(
        Stream usage,
        MonthRater rater,
        CurrencyCode billingCurrency,
        Func<Stream> openOutput,
        Func<Stream>? openEvidence = null,
        Action<int, double>? progress = null,
        CancellationToken cancellationToken = default) =>
        Rate(usage, rater, billingCurrency, openOutput, openEvidence, progress, new FileRatingOptions(), cancellationToken);

    /// <summary>As the other overload, with the threads and block size set (tests cut small blocks to cross many block ends).</summary>
    public static FileRatingResult Rate(
        Stream usage,
        MonthRater rater,
        CurrencyCode billingCurrency,
        Func<Stream> openOutput,
        Func<Stream>? openEvidence,
        Action<int, double>? progress,
        FileRatingOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var workers = options.Workers;
        var blockBytes = options.BlockBytes;
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(rater);
        ArgumentNullException.ThrowIfNull(openOutput);
        if (!usage.CanSeek)
        {
            throw new ArgumentException("File mode reads the usage twice; give it a file.", nameof(usage));
        }

        if (CsvBlocks.StartsWithNonUtf8Mark(usage))
        {
            return RateInOneThread(usage, rater, billingCurrency, openOutput, openEvidence, progress, cancellationToken);
        }

        workers = workers > 0 ? workers : Environment.ProcessorCount;
        var problems = new ProblemCollector(MaxReported);
        var headerBytes = CsvBlocks.ReadFirstRow(usage);
        if (headerBytes is null)
        {
            problems.AddRow(1, EmptyFileReason);
            return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
        }

        int[]? map;
        int columns;
        using (var headerReader = ReaderOptions.From(headerBytes))
        {
            if (!headerReader.MoveNext())
            {
                problems.AddRow(1, EmptyFileReason);
                return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
            }

            map = ReadHeader(headerReader.Current, problems);
            columns = headerReader.Current.ColCount;
        }

        if (map is null)
        {
            return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
        }

        var body = usage.Position;
        var length = usage.Length;
        var blockRows = new List<int>();
        var rowsBefore = 1;
        var forks = CsvBlocks.Run(
            usage,
            workers,
            blockBytes,
            _ => rater.Fork(),
            (block, fork) =>
            {
                var blockProblems = new ProblemCollector(MaxReported);
                var rows = 0;
                using (var text = CsvText.OpenUtf8(block.Open()))
                using (var reader = ReaderOptions.From(text))
                {
                    var row = new UsageRow();
                    foreach (var record in reader)
                    {
                        rows++;
                        AddRow(record, record.RowIndex + 1, map, columns, fork, blockProblems, ref row);
                    }
                }

                block.Result = new PassOneBlock(rows, blockProblems);
            },
            block =>
            {
                var result = (PassOneBlock)block.Result!;
                problems.AddFrom(result.Problems, rowsBefore);
                rowsBefore += result.Rows;
                blockRows.Add(result.Rows);
                progress?.Invoke(1, length == 0 ? 1 : Math.Min(1, (double)block.EndPosition / length));
            },
            cancellationToken);
        foreach (var fork in forks)
        {
            rater.Absorb(fork);
        }

        progress?.Invoke(1, 1);
        if (problems.Count > 0)
        {
            return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
        }

        rater.Seal();
        usage.Position = body;
        using var output = new StreamWriter(openOutput(), CsvText.Utf8NoBom, 1 << 16);
        using var evidence = openEvidence is null ? null : new StreamWriter(openEvidence(), CsvText.Utf8NoBom, 1 << 16);
        RowWriter.WriteHeader(output, evidence);
        output.Flush();
        evidence?.Flush();
        var startRows = new int[blockRows.Count];
        for (int k = 0, before = 1; k < startRows.Length; before += blockRows[k], k++)
        {
            startRows[k] = before;
        }

        var withEvidence = evidence is not null;
        CsvBlocks.Run(
            usage,
            workers,
            blockBytes,
            _ => new RowWriter(map, rater.Fork(), billingCurrency),
            (block, writer) =>
            {
                if (block.Index >= startRows.Length)
                {
                    throw new InvalidOperationException("The usage file grew between the passes.");
                }

                var scratch = block.Scratch as PassTwoBlock ?? new PassTwoBlock(withEvidence);
                block.Scratch = scratch;
                scratch.Reset();
                writer.Target(scratch.Output, scratch.Evidence);
                using (var text = CsvText.OpenUtf8(block.Open()))
                using (var reader = ReaderOptions.From(text))
                {
                    var row = new UsageRow();
                    var first = startRows[block.Index];
                    foreach (var record in reader)
                    {
                        if (ReadRow(record, map, columns, ref row))
                        {
                            writer.Write(record, row, first + record.RowIndex + 1);
                            scratch.Count(writer.Rated);
                        }
                    }
                }

                scratch.Flush();
                block.Result = scratch;
            },
            block =>
            {
                var scratch = (PassTwoBlock)block.Result!;
                scratch.CopyTo(output.BaseStream, evidence?.BaseStream, rater.Totals);
                progress?.Invoke(2, length == 0 ? 1 : Math.Min(1, (double)block.EndPosition / length));
            },
            cancellationToken);
        progress?.Invoke(2, 1);
        return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
    }

    private static readonly string EmptyFileReason = $"the file is empty; its first row must be the daily rated usage header {string.Join(',', Table.Header)}";

    // Files with a UTF-16 or UTF-32 byte order mark: the text reader decodes them, one thread reads.
    private static FileRatingResult RateInOneThread(Stream usage, MonthRater rater, CurrencyCode billingCurrency, Func<Stream> openOutput, Func<Stream>? openEvidence, Action<int, double>? progress, CancellationToken cancellationToken)
    {
        var problems = new ProblemCollector(MaxReported);
        var start = usage.Position;
        if (ReadPass(usage, rater, problems, null, null, progress, cancellationToken) is not { } header || problems.Count > 0)
        {
            return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
        }

        rater.Seal();
        usage.Position = start;
        using var output = new StreamWriter(openOutput(), CsvText.Utf8NoBom, 1 << 20);
        using var evidence = openEvidence is null ? null : new StreamWriter(openEvidence(), CsvText.Utf8NoBom, 1 << 16);
        var writer = new RowWriter(header, rater, billingCurrency);
        writer.Target(output, evidence);
        RowWriter.WriteHeader(output, evidence);
        ReadPass(usage, rater, problems, writer, header, progress, cancellationToken);
        return new FileRatingResult(rater.Totals, rater.GroupCount, problems.ToList(), problems.Count);
    }

    /// <summary>The evidence file's header: one row per usage row, in file order.</summary>
    public static IReadOnlyList<string> EvidenceHeader { get; } =
        ["Row", "EntitlementId", "ResourceURI", "MeterId", "UsageDate", "PartnerEarnedCreditPercentage", "Reason", "Evidence"];

    // Returns the header map (input position of each table column, -1 when absent), or null when the header is wrong.
    private static int[]? ReadPass(Stream usage, MonthRater rater, ProblemCollector problems, RowWriter? writer, int[]? header, Action<int, double>? progress, CancellationToken cancellationToken)
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
                continue;
            }

            if ((record.RowIndex & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(pass, length == 0 ? 1 : Math.Min(1, (double)usage.Position / length));
            }

            var rowNumber = record.RowIndex + 1;
            if (writer is null)
            {
                AddRow(record, rowNumber, map!, columns, rater, problems, ref row);
            }
            else if (ReadRow(record, map!, columns, ref row))
            {
                writer.Write(record, row, rowNumber);
            }
        }

        if (!sawHeader)
        {
            problems.AddRow(1, EmptyFileReason);
            return null;
        }

        progress?.Invoke(pass, 1);
        return map;
    }

    // Pass one for one row: its key cells into `row`, its quantity into the rater, or its problem named.
    private static void AddRow(SepReader.Row record, int rowNumber, int[] map, int columns, MonthRater rater, ProblemCollector problems, ref UsageRow row)
    {
        if (record.ColCount != columns)
        {
            if (record.ColCount != 1 || !record[0].Span.IsEmpty)
            {
                problems.AddRow(rowNumber, $"the row has {record.ColCount} fields; the header has {columns} (a comma inside a value needs the value in double quotes)");
            }

            return;
        }

        ReadRow(record, map, columns, ref row);
        var problem = rater.Add(row);
        if (problem == UsageProblem.None)
        {
            problem = CheckPassTwoColumns(row);
        }

        if (problem != UsageProblem.None)
        {
            var column = Table[UsageProblems.Column(problem)];
            var value = map[column.Index] < 0 ? default : Cell(record, map[column.Index]);
            problems.Add(rowNumber, column, value, UsageProblems.Reason(problem, rater.Prices));
        }
    }

    // The key cells of a row; false for a blank line (pass one refused every other short row).
    private static bool ReadRow(SepReader.Row record, int[] m, int columns, ref UsageRow row)
    {
        if (record.ColCount != columns)
        {
            return false;
        }

        row.PlanId = Cell(record, m[SubscriptionId]);
        row.MeterId = Cell(record, m[MeterId]);
        row.UsageDate = Cell(record, m[UsageDate]);
        row.Quantity = Cell(record, m[Quantity]);
        row.Market = Cell(record, m[CustomerCountry]);
        row.EntitlementId = Cell(record, m[EntitlementId]);
        row.ResourceUri = Cell(record, m[ResourceUri]);
        row.PartnerId = Cell(record, m[MpnId]);
        row.ResellerId = Cell(record, m[ResellerMpnId]);
        return true;
    }

    private sealed record PassOneBlock(int Rows, ProblemCollector Problems);

    // One block's pass two: its rows as UTF-8 bytes (and their evidence), and each row's figures,
    // which the delivering thread adds to the totals in file order.
    private sealed class PassTwoBlock : IDisposable
    {
        private readonly MemoryStream _output = new();
        private readonly MemoryStream? _evidence;
        private decimal[] _quantity = new decimal[8192];
        private decimal[] _pricing = new decimal[8192];
        private decimal[] _billing = new decimal[8192];
        private Access.PecReason[] _reasons = new Access.PecReason[8192];
        private int _count;

        public PassTwoBlock(bool withEvidence)
        {
            Output = new StreamWriter(_output, CsvText.Utf8NoBom, 1 << 16, leaveOpen: true);
            if (withEvidence)
            {
                _evidence = new MemoryStream();
                Evidence = new StreamWriter(_evidence, CsvText.Utf8NoBom, 1 << 16, leaveOpen: true);
            }
        }

        public StreamWriter Output { get; }

        public StreamWriter? Evidence { get; }

        public void Dispose()
        {
            Output.Dispose();
            Evidence?.Dispose();
            _output.Dispose();
            _evidence?.Dispose();
        }

        public void Reset()
        {
            _output.SetLength(0);
            _evidence?.SetLength(0);
            _count = 0;
        }

        public void Count(RatedRow rated)
        {
            if (_count == _quantity.Length)
            {
                Array.Resize(ref _quantity, _count * 2);
                Array.Resize(ref _pricing, _count * 2);
                Array.Resize(ref _billing, _count * 2);
                Array.Resize(ref _reasons, _count * 2);
            }

            _quantity[_count] = rated.Quantity;
            _pricing[_count] = rated.PricingPreTaxTotal;
            _billing[_count] = rated.BillingPreTaxTotal;
            _reasons[_count] = rated.Pec.Reason;
            _count++;
        }

        public void Flush()
        {
            Output.Flush();
            Evidence?.Flush();
        }

        public void CopyTo(Stream output, Stream? evidence, RatingTotals totals)
        {
            output.Write(_output.GetBuffer(), 0, (int)_output.Length);
            if (evidence is not null && _evidence is not null)
            {
                evidence.Write(_evidence.GetBuffer(), 0, (int)_evidence.Length);
            }

            for (var i = 0; i < _count; i++)
            {
                totals.Count(_quantity[i], _pricing[i], _billing[i], _reasons[i]);
            }
        }
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
        private readonly Fill[] _fill;
        private readonly Segment[] _segments;
        private readonly MonthRater _rater;
        private readonly string _billingCurrency;
        private readonly string _exchangeRate;
        private readonly string _exchangeRateDate;
        private readonly RatedRow _rated = new();
        private readonly char[] _number = new char[64];
        private StreamWriter? _output;
        private StreamWriter? _evidence;

        public RowWriter(int[] map, MonthRater rater, CurrencyCode billingCurrency)
        {
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
            _segments = Segments(_fill, map);
        }

        // The output's columns as runs: pass-through columns that follow each other in the input
        // too (all of them, in a file in the documented order) are copied as one span, commas and
        // all, rather than 46 writes per row.
        private static Segment[] Segments(Fill[] fill, int[] map)
        {
            var segments = new List<Segment>();
            for (var i = 0; i < fill.Length; i++)
            {
                if (fill[i] != Fill.PassThrough || map[i] < 0)
                {
                    segments.Add(new Segment(i, fill[i], map[i], map[i]));
                    continue;
                }

                var to = i;
                while (to + 1 < fill.Length && fill[to + 1] == Fill.PassThrough && map[to + 1] == map[to] + 1)
                {
                    to++;
                }

                segments.Add(new Segment(i, Fill.PassThrough, map[i], map[to]));
                i = to;
            }

            return [.. segments];
        }

        private readonly record struct Segment(int Column, Fill Fill, int From, int To);

        /// <summary>The last row written's figures.</summary>
        public RatedRow Rated => _rated;

        /// <summary>Where the next rows go: the file itself, or a block's buffers.</summary>
        public void Target(StreamWriter output, StreamWriter? evidence)
        {
            _output = output;
            _evidence = evidence;
        }

        public static void WriteHeader(StreamWriter output, StreamWriter? evidence)
        {
            for (var i = 0; i < Table.Count; i++)
            {
                if (i > 0)
                {
                    output.Write(',');
                }

                output.Write(Table.Header[i]);
            }

            output.Write(CsvText.NewLine);
            if (evidence is not null)
            {
                evidence.Write(string.Join(',', EvidenceHeader));
                evidence.Write(CsvText.NewLine);
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

            var output = _output!;
            var rated = _rated;
            var line = record.Span;
            ref var lineStart = ref MemoryMarshal.GetReference(line);
            var segments = _segments;
            for (var k = 0; k < segments.Length; k++)
            {
                var segment = segments[k];
                if (segment.Column > 0)
                {
                    output.Write(',');
                }

                switch (segment.Fill)
                {
                    case Fill.PassThrough:
                        if (segment.From >= 0)
                        {
                            // Input columns From..To, commas between them included, as one span of the row.
                            var first = record[segment.From].Span;
                            var last = record[segment.To].Span;
                            var start = (int)(Unsafe.ByteOffset(ref lineStart, ref MemoryMarshal.GetReference(first)) / sizeof(char));
                            var end = (int)(Unsafe.ByteOffset(ref lineStart, ref MemoryMarshal.GetReference(last)) / sizeof(char)) + last.Length;
                            output.Write(line[start..end]);
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
            _output!.Write(_number.AsSpan(0, written));
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
