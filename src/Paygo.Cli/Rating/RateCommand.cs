using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;
using Spectre.Console;

namespace Paygo.Cli.Rating;

/// <summary>
/// <c>paygo rate</c>: file mode, no server and no database. Rates a month of usage given as a
/// daily rated usage file against a price list, an access file and an FX file, and writes the
/// daily rated usage file with the price columns filled (DOMAIN.md §6 and §10).
/// </summary>
internal static class RateCommand
{
    /// <summary>Exit code when every row was rated and written.</summary>
    public const int Rated = 0;

    /// <summary>Exit code when nothing was written: a file was refused, a row could not be rated, or an option was wrong.</summary>
    public const int NothingRated = 1;

    private const string ExitCodes =
        "Exit codes: 0 every row rated and the output written; 1 nothing written: an input file was refused, a usage row could not be rated " +
        "(no price that day, bad quantity, date outside the month, several prices on a day), no FX rate for the currency and month, or a wrong option. " +
        "Problems are listed on standard error by file, row and column (the first 50, then how many in all).";

    public static Command Create(CliEnvironment environment)
    {
        var prices = new Option<FileInfo>("--prices") { Description = "Azure plan price list (Partner Center's 18 columns, USD).", Required = true }.AcceptExistingOnly();
        var usage = new Option<FileInfo>("--usage") { Description = "Usage as a daily rated usage file (reference §5.3; Microsoft's own file works, either date format). Its price columns are ignored and recomputed.", Required = true }.AcceptExistingOnly();
        var access = new Option<FileInfo>("--access") { Description = "Access file: AssignmentId,Kind,PrincipalType,PrincipalId,PartnerId,RoleDefinitionName,Scope,Start,End.", Required = true }.AcceptExistingOnly();
        var fx = new Option<FileInfo>("--fx") { Description = "Microsoft's FX file (CurrencyCode, USDPerUnit, Month); not read for USD.", Required = true }.AcceptExistingOnly();
        var currency = new Option<string>("--currency") { Description = "Billing currency (ISO 4217), e.g. EUR.", Required = true };
        var month = new Option<string>("--month") { Description = "The month to rate, yyyy-MM.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The daily rated usage file to write (55 columns).", Required = true };
        var evidence = new Option<FileInfo?>("--evidence") { Description = "Also write each row's PEC decision and its evidence (assignment ids, or why not)." };
        var market = new Option<string>("--market") { Description = "Price list market for rows without CustomerCountry.", DefaultValueFactory = _ => "US" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress bar, even on a terminal." };
        var threads = new Option<int>("--threads") { Description = "Threads that rate blocks of rows (default: one per core); the output is the same for any number.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("rate", $"Rates a month of usage from files, without a server or a database. {ExitCodes}")
        {
            prices, usage, access, fx, currency, month, output, evidence, market, noProgress, threads,
        };
        command.SetAction((parsed, cancellationToken) => Task.FromResult(Run(
            environment,
            new RateRequest(
                parsed.GetValue(prices)!,
                parsed.GetValue(usage)!,
                parsed.GetValue(access)!,
                parsed.GetValue(fx)!,
                parsed.GetValue(currency)!,
                parsed.GetValue(month)!,
                parsed.GetValue(output)!,
                parsed.GetValue(evidence),
                parsed.GetValue(market)!,
                parsed.GetValue(noProgress),
                parsed.GetValue(threads)),
            cancellationToken)));
        return command;
    }

    private sealed record RateRequest(FileInfo Prices, FileInfo Usage, FileInfo Access, FileInfo Fx, string Currency, string Month, FileInfo Out, FileInfo? Evidence, string Market, bool NoProgress, int Threads);

    private static int Run(CliEnvironment environment, RateRequest request, CancellationToken cancellationToken)
    {
        var error = environment.Error;
        if (!CurrencyCode.TryParse(request.Currency, out var currency))
        {
            error.WriteLine($"--currency: '{request.Currency}' is not an ISO 4217 currency code such as EUR.");
            return NothingRated;
        }

        if (!BillingMonth.TryParse(request.Month, out var billingMonth))
        {
            error.WriteLine($"--month: '{request.Month}' is not a month written yyyy-MM, such as 2026-11.");
            return NothingRated;
        }

        if (request.Threads < 1)
        {
            error.WriteLine($"--threads: '{request.Threads}' is not a number of threads; give 1 or more.");
            return NothingRated;
        }

        if (request.Market.Length != 2 || !char.IsAsciiLetter(request.Market[0]) || !char.IsAsciiLetter(request.Market[1]))
        {
            error.WriteLine($"--market: '{request.Market}' is not a two-letter market such as US.");
            return NothingRated;
        }

        var clock = Stopwatch.StartNew();
        var priceList = ReadFile(error, request.Prices, stream => PriceListFile.Read(stream, cancellationToken));
        var history = ReadFile(error, request.Access, stream => AccessFileReader.Read(stream, cancellationToken));
        var rates = currency == CurrencyCode.Usd ? null : ReadFile(error, request.Fx, stream => FxRateFile.Read(stream, cancellationToken));
        if (priceList is null || history is null || (rates is null && currency != CurrencyCode.Usd))
        {
            return NothingRated;
        }

        var rate = rates?.PcToBcExchangeRate(currency, billingMonth) ?? new ExchangeRateLookup(ExchangeRateStatus.Found, currency, billingMonth, 1m);
        if (!rate.Found)
        {
            error.WriteLine($"{request.Fx.Name}: {rate}; the FX file needs a {currency} row for {billingMonth.ToFileText()}.");
            return NothingRated;
        }

        var rater = new MonthRater(MonthPrices.For(priceList, billingMonth), history, rate.PcToBcExchangeRate, request.Market.ToUpperInvariant());
        FileRatingResult result;
        using (var input = new FileStream(request.Usage.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            Stream OpenOut() => new FileStream(request.Out.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            Func<Stream>? openEvidence = request.Evidence is { } file ? () => new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16) : null;
            var console = request.NoProgress ? null : environment.ProgressConsole;
            var options = new FileRatingOptions(Workers: request.Threads);
            result = console is null
                ? DailyUsageFileRater.Rate(input, rater, currency, OpenOut, openEvidence, null, options, cancellationToken)
                : WithProgress(console, report => DailyUsageFileRater.Rate(input, rater, currency, OpenOut, openEvidence, report, options, cancellationToken));
        }

        clock.Stop();
        if (!result.Succeeded)
        {
            error.WriteLine($"{request.Usage.Name}: nothing rated; {result.ProblemCount} problem(s):");
            PrintProblems(error, request.Usage.Name, result.Problems, result.ProblemCount);
            return NothingRated;
        }

        var totals = result.Totals;
        var seconds = clock.Elapsed.TotalSeconds;
        var summary = new Table().AddColumn("Rated").AddColumn(new TableColumn("").RightAligned());
        summary.AddRow("Rows", Invariant($"{totals.Rows:N0}"));
        summary.AddRow("Plan-meter-days", Invariant($"{result.Groups:N0}"));
        summary.AddRow("PricingPreTaxTotal (USD)", Invariant($"{Rounding.Normalize(totals.PricingPreTaxTotal)}"));
        summary.AddRow($"BillingPreTaxTotal ({currency})", Invariant($"{Rounding.Normalize(totals.BillingPreTaxTotal)}"));
        summary.AddRow("PCToBCExchangeRate", Invariant($"{rate.PcToBcExchangeRate}"));
        summary.AddRow("PEC rows earned", Invariant($"{totals.PecEarnedRows:N0}"));
        summary.AddRow("PEC rows lost", Invariant($"{totals.PecLostRows:N0}"));
        summary.AddRow("Rows of excluded meters", Invariant($"{totals.ExcludedRows:N0}"));
        summary.AddRow("Seconds", Invariant($"{seconds:F2}"));
        summary.AddRow("Rows/s", Invariant($"{(seconds > 0 ? totals.Rows / seconds : 0):N0}"));
        environment.Console.Write(summary);
        environment.Output.WriteLine($"Wrote {request.Out.Name}{(request.Evidence is null ? string.Empty : $" and {request.Evidence.Name}")}.");
        return Rated;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static T? ReadFile<T>(TextWriter error, FileInfo file, Func<Stream, FileReadResult<T>> read)
        where T : class
    {
        using var stream = file.OpenRead();
        var result = read(stream);
        if (result.Succeeded)
        {
            return result.Value;
        }

        error.WriteLine($"{file.Name}: refused, nothing rated; {result.ProblemCount} problem(s):");
        PrintProblems(error, file.Name, result.Problems, result.ProblemCount);
        return null;
    }

    private static void PrintProblems(TextWriter error, string file, IReadOnlyList<FileProblem> problems, long count)
    {
        var shown = Math.Min(problems.Count, DailyUsageFileRater.MaxReported);
        for (var i = 0; i < shown; i++)
        {
            error.WriteLine($"  {file} {problems[i]}");
        }

        if (count > shown)
        {
            error.WriteLine(Invariant($"  … and {count - shown} more."));
        }
    }

    private static FileRatingResult WithProgress(IAnsiConsole console, Func<Action<int, double>, FileRatingResult> work)
    {
        FileRatingResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var sum = context.AddTask("Pass 1: summing days", maxValue: 1);
                var rate = context.AddTask("Pass 2: rating rows", maxValue: 1, autoStart: false);
                result = work((pass, share) =>
                {
                    var task = pass == 1 ? sum : rate;
                    if (!task.IsStarted)
                    {
                        task.StartTask();
                    }

                    task.Value = share;
                });
            });
        return result!;
    }
}
