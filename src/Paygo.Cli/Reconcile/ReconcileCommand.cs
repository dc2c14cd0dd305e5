using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Paygo.Rating.Files;
using Paygo.Rating.Reconcile;
using Spectre.Console;

namespace Paygo.Cli.Reconcile;

/// <summary>
/// <c>paygo reconcile</c>: file mode, no server. Checks Microsoft's daily rated usage file
/// against Paygo's (issue 13 point 6, docs/adr/0038): a variance report per customer and meter
/// with the reason of each difference, and optionally a CSV of every differing key.
/// </summary>
internal static class ReconcileCommand
{
    /// <summary>Exit code when both files agree on every key.</summary>
    public const int Equal = 0;

    /// <summary>Exit code when a file was refused or an option was wrong: nothing compared.</summary>
    public const int BadInput = 1;

    /// <summary>Exit code when the files were read and differ.</summary>
    public const int Different = 2;

    private const string ExitCodes =
        "Rows are joined on EntitlementId, ResourceURI (without case), MeterId and UsageDate; several rows of one key are summed. " +
        "Exit codes: 0 the files agree; 2 they differ (the report lists each customer and meter with a difference and its reasons: " +
        "missingInActual, missingInExpected, quantity, pec, fxRate, tierPosition, unitPrice, amount); 1 nothing compared: a file was refused " +
        "(named with its row and column on standard error) or an option was wrong.";

    public static Command Create(CliEnvironment environment)
    {
        var expected = new Option<FileInfo>("--expected") { Description = "Microsoft's daily rated usage file (reference §5.3; either date format).", Required = true }.AcceptExistingOnly();
        var actual = new Option<FileInfo>("--actual") { Description = "Paygo's daily rated usage file for the same month (paygo rate --out, or the month close's file).", Required = true }.AcceptExistingOnly();
        var output = new Option<FileInfo?>("--out") { Description = "Write every differing key to this CSV: both sides' values and the reason." };
        var tolerance = new Option<string>("--tolerance") { Description = "Largest difference of a quantity, price, rate or total still counted as equal (default 0: exact).", DefaultValueFactory = _ => "0" };
        var command = new Command("reconcile", $"Checks Microsoft's daily rated usage file against Paygo's, without a server. {ExitCodes}")
        {
            expected, actual, output, tolerance,
        };
        command.SetAction((parsed, cancellationToken) => Task.FromResult(Run(
            environment, parsed.GetValue(expected)!, parsed.GetValue(actual)!, parsed.GetValue(output), parsed.GetValue(tolerance)!, cancellationToken)));
        return command;
    }

    private static int Run(CliEnvironment environment, FileInfo expectedFile, FileInfo actualFile, FileInfo? outFile, string toleranceText, CancellationToken cancellationToken)
    {
        var error = environment.Error;
        if (!decimal.TryParse(toleranceText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var tolerance))
        {
            error.WriteLine($"--tolerance: '{toleranceText}' is not a number that is zero or more, such as 0.000001.");
            return BadInput;
        }

        var clock = Stopwatch.StartNew();
        ReconcileResult result;
        using (var expected = Open(expectedFile))
        using (var actual = Open(actualFile))
        {
            result = DailyFileReconciler.Reconcile(expected, actual, tolerance, cancellationToken);
        }

        if (!result.Read)
        {
            PrintProblems(error, expectedFile.Name, result.ExpectedProblems, result.ExpectedProblemCount);
            PrintProblems(error, actualFile.Name, result.ActualProblems, result.ActualProblemCount);
            return BadInput;
        }

        if (outFile is not null)
        {
            using var stream = new FileStream(outFile.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            DifferencesFile.Write(stream, result.Differences);
        }

        clock.Stop();
        PrintReport(environment, result, expectedFile.Name, actualFile.Name);
        environment.Output.WriteLine(Invariant($"{result.ExpectedRows:N0} expected and {result.ActualRows:N0} actual rows, {result.Keys:N0} keys, {result.Differences.Count:N0} differing, in {clock.Elapsed.TotalSeconds:F2} s."));
        if (outFile is not null)
        {
            environment.Output.WriteLine($"Wrote {outFile.Name}.");
        }

        return result.Equal ? Equal : Different;
    }

    private static FileStream Open(FileInfo file) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static void PrintReport(CliEnvironment environment, ReconcileResult result, string expectedName, string actualName)
    {
        var console = environment.Console;
        if (result.Equal)
        {
            environment.Output.WriteLine($"{expectedName} and {actualName} agree on every key.");
            return;
        }

        var table = new Table()
            .AddColumn("Customer").AddColumn("Meter")
            .AddColumn(new TableColumn("Keys").RightAligned()).AddColumn(new TableColumn("Differing").RightAligned())
            .AddColumn(new TableColumn("Expected").RightAligned()).AddColumn(new TableColumn("Actual").RightAligned())
            .AddColumn(new TableColumn("Difference").RightAligned()).AddColumn("Reasons (keys: difference)");
        foreach (var group in result.Report)
        {
            table.AddRow(
                Markup.Escape(group.CustomerName ?? group.CustomerId.ToString("D")),
                Markup.Escape(group.MeterName is null ? group.MeterId.ToString("D") : $"{group.MeterName} ({group.MeterId:D})"),
                Invariant($"{group.Keys:N0}"),
                Invariant($"{group.DifferingKeys:N0}"),
                DifferencesFile.Format(group.ExpectedBillingPreTaxTotal),
                DifferencesFile.Format(group.ActualBillingPreTaxTotal),
                DifferencesFile.Format(group.Difference),
                Markup.Escape(Reasons(group)));
        }

        var totals = result.Totals!;
        table.AddRow(
            "[bold]Total[/]", string.Empty,
            Invariant($"{totals.Keys:N0}"), Invariant($"{totals.DifferingKeys:N0}"),
            DifferencesFile.Format(totals.ExpectedBillingPreTaxTotal), DifferencesFile.Format(totals.ActualBillingPreTaxTotal), DifferencesFile.Format(totals.Difference),
            Markup.Escape(Reasons(totals)));
        table.Caption = new TableTitle($"BillingPreTaxTotal: expected = {Markup.Escape(expectedName)}, actual = {Markup.Escape(actualName)}, difference = actual − expected");
        console.Write(table);
    }

    private static string Reasons(VarianceGroup group) =>
        string.Join(", ", group.Reasons.Select(r => Invariant($"{VarianceRow.Name(r.Reason)} {r.Keys:N0}: {DifferencesFile.Format(r.BillingDifference)}")));

    private static void PrintProblems(TextWriter error, string file, IReadOnlyList<FileProblem> problems, long count)
    {
        if (count == 0)
        {
            return;
        }

        error.WriteLine($"{file}: refused, nothing compared; {count} problem(s):");
        foreach (var problem in problems)
        {
            error.WriteLine($"  {file} {problem}");
        }

        if (count > problems.Count)
        {
            error.WriteLine(Invariant($"  … and {count - problems.Count} more."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
