using System.CommandLine;
using System.Globalization;
using Paygo.Cli.Hosting;
using Paygo.Cli.Pricing;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;

namespace Paygo.Cli.Billing;

/// <summary>
/// <c>paygo billing focus</c>: the FinOps FOCUS 1.2 export of billed usage. With <c>--month</c>
/// it downloads a closed month's export from the server (<c>GET /v1/billing/focus</c>, the
/// caller's invoices, docs/adr/0041). In file mode (<c>--from-daily</c>, no server, no database,
/// like <c>paygo rate</c>) it converts a billed daily rated usage file, one FOCUS row per daily
/// row (docs/adr/0037). Exactly one of the two is given.
/// </summary>
internal static class FocusCommand
{
    /// <summary>Exit code when the FOCUS file was written.</summary>
    public const int Written = 0;

    /// <summary>Exit code when nothing was written: the input was refused.</summary>
    public const int NothingWritten = 1;

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var month = new Option<string>("--month") { Description = "A closed month, yyyy-MM: its billed usage from the server, your invoices only (the operator's: every partner's)." };
        var daily = new Option<FileInfo>("--from-daily")
        {
            Description = "File mode, no server: a billed daily rated usage file (55 columns) with its price columns filled, e.g. the output of paygo rate.",
        }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out") { Description = "The FOCUS 1.2 CSV to write.", Required = true };
        var command = new Command(
            "focus",
            "Writes billed usage as a FinOps FOCUS 1.2 CSV (BilledCost, EffectiveCost, ListCost, ContractedCost, ChargePeriodStart/End, ...). " +
            "Give --month for a closed month from the server, or --from-daily for a file. " +
            "Exit codes: 0 written; 1 nothing written, the input was refused (problems listed on standard error by row and column).")
        {
            month, daily, output,
        };
        command.Validators.Add(result =>
        {
            var hasMonth = result.GetResult(month) is not null;
            var hasDaily = result.GetResult(daily) is not null;
            if (hasMonth == hasDaily)
            {
                result.AddError("Give either --month yyyy-MM (a closed month from the server) or --from-daily <file> (file mode), not both and not neither.");
            }
        });
        command.SetAction((parsed, cancellationToken) => parsed.GetValue(daily) is { } file
            ? Task.FromResult(Run(environment, file, parsed.GetValue(output)!, cancellationToken))
            : FromServerAsync(environment, parsed.GetValue(server)!, parsed.GetValue(month)!, parsed.GetValue(output)!, cancellationToken));
        return command;
    }

    private static Task<int> FromServerAsync(CliEnvironment environment, Uri server, string month, FileInfo output, CancellationToken cancellationToken) =>
        CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, server);
            long bytes;
            try
            {
                bytes = await FileTransfer.DownloadAsync(environment, api, $"/v1/billing/focus?month={Uri.EscapeDataString(month.Trim())}", output.FullName, progress: null, acceptZip: false, cancellationToken);
            }
            catch (CliFailure failure) when (failure.Fields.Count > 0)
            {
                throw failure.NamingOptions(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["month"] = "--month" });
            }

            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {output.Name}: the FOCUS {FocusFile.Version} export of {month.Trim()} ({bytes:N0} bytes)."));
            return Written;
        });

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
