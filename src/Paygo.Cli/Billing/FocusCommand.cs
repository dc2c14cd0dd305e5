using System.CommandLine;
using System.Globalization;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;

namespace Paygo.Cli.Billing;

/// <summary>
/// <c>paygo billing focus</c>: the FinOps FOCUS 1.2 export of billed usage. In file mode
/// (<c>--from-daily</c>, no server, no database, like <c>paygo rate</c>) it converts a billed
/// daily rated usage file, one FOCUS row per daily row (docs/adr/0037).
/// </summary>
internal static class FocusCommand
{
    /// <summary>Exit code when the FOCUS file was written.</summary>
    public const int Written = 0;

    /// <summary>Exit code when nothing was written: the input was refused.</summary>
    public const int NothingWritten = 1;

    public static Command Create(CliEnvironment environment)
    {
        var daily = new Option<FileInfo>("--from-daily")
        {
            Description = "A billed daily rated usage file (55 columns, reference §5.3) with its price columns filled, e.g. the output of paygo rate.",
            Required = true,
        }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out") { Description = "The FOCUS 1.2 CSV to write.", Required = true };
        var command = new Command(
            "focus",
            "Writes billed usage as a FinOps FOCUS 1.2 CSV (BilledCost, EffectiveCost, ListCost, ContractedCost, ChargePeriodStart/End, ...). " +
            "Exit codes: 0 written; 1 nothing written, the input was refused (problems listed on standard error by row and column).")
        {
            daily, output,
        };
        command.SetAction((parsed, cancellationToken) => Task.FromResult(Run(environment, parsed.GetValue(daily)!, parsed.GetValue(output)!, cancellationToken)));
        return command;
    }

    private static int Run(CliEnvironment environment, FileInfo daily, FileInfo output, CancellationToken cancellationToken)
    {
        FileReadResult<IReadOnlyList<FocusUsageRow>> read;
        using (var input = daily.OpenRead())
        {
            read = BilledDailyFile.Read(input, cancellationToken);
        }

        if (!read.Succeeded)
        {
            environment.Error.WriteLine($"{daily.Name}: refused, nothing written; {read.ProblemCount} problem(s):");
            foreach (var problem in read.Problems.Take(50))
            {
                environment.Error.WriteLine($"  {daily.Name} {problem}");
            }

            if (read.ProblemCount > 50)
            {
                environment.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {read.ProblemCount - 50} more."));
            }

            return NothingWritten;
        }

        // Written next to the target and moved over it, so a failed run never leaves half a file under the name asked for.
        var temporary = output.FullName + ".partial";
        long rows;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            rows = FocusFile.Write(stream, read.Value!);
        }

        File.Move(temporary, output.FullName, overwrite: true);
        environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {output.Name}: {rows:N0} FOCUS {FocusFile.Version} row(s) from {daily.Name}."));
        return Written;
    }
}
