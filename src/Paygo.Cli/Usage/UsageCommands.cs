using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using Paygo.Cli.Hosting;
using Paygo.Core.Common;
using Paygo.Core.Usage;
using Spectre.Console;

namespace Paygo.Cli.Usage;

/// <summary>
/// <c>paygo usage post &lt;file&gt;</c>: posts a file of usage records (JSON array, NDJSON or CSV,
/// DOMAIN.md §10) to <c>POST /v1/usage</c> in batches, with a progress bar on a terminal and a
/// summary of what the server answered (docs/adr/0032). A batch that got no answer is sent again:
/// the record ids make that safe.
/// </summary>
internal static class UsageCommands
{
    /// <summary>How many rejected or conflicting records are named; the rest are counted.</summary>
    public const int ProblemsShown = 20;

    private const int Attempts = 5;

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var usage = new Command("usage", "Post usage records (the metering source, operator admins, partners for their own customers).");
        usage.Subcommands.Add(Post(environment, server));
        usage.Subcommands.Add(RatedUsage.UnbilledCommand.Create(environment, server));
        usage.Subcommands.Add(Export(environment, server));
        return usage;
    }

    /// <summary>
    /// <c>paygo usage export --month yyyy-MM --out usage.csv [--customer id]</c>: a month of stored usage as the
    /// daily rated usage file with empty price columns, the input of <c>paygo rate</c> (docs/adr/0035).
    /// </summary>
    private static Command Export(CliEnvironment environment, Option<Uri> server)
    {
        var month = new Option<string>("--month") { Description = "The month, yyyy-MM (e.g. 2026-11).", Required = true };
        var customer = new Option<string?>("--customer") { Description = "Only this customer's usage (its tenant id); all the customers you can see otherwise." };
        var output = Paygo.Cli.Pricing.PriceCommands.OutOption("daily rated usage CSV (55 columns, price columns empty)");
        var command = new Command("export", "Writes a month of stored usage as the 55-column daily rated usage file, price columns empty, to rate with paygo rate (the roles that read rated usage).")
        {
            month, customer, output,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var query = $"?month={Uri.EscapeDataString(parsed.GetValue(month)!.Trim())}";
            if (parsed.GetValue(customer) is { Length: > 0 } id)
            {
                query += $"&customerId={Uri.EscapeDataString(id.Trim())}";
            }

            var target = parsed.GetValue(output);
            var bytes = await Paygo.Cli.Pricing.FileTransfer.DownloadAsync(environment, api, "/v1/usage/export" + query, target, progress: null, acceptZip: false, cancellationToken);
            if (target is not null)
            {
                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes} bytes to {target}."));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>A batch ready to send: its body, its media type and the number of its first record in the file (0-based).</summary>
    private sealed record Batch(string Body, string MediaType, int First, int Count);

    private static Command Post(CliEnvironment environment, Option<Uri> server)
    {
        var file = new Argument<FileInfo>("file") { Description = "The records: a JSON array (.json), NDJSON (.ndjson, .jsonl) or CSV (.csv) with Id,EntitlementId,ResourceUri,MeterId,UsageDate,Quantity[,Location,Tags,AdditionalInfo]." }.AcceptExistingOnly();
        var format = new Option<string?>("--format") { Description = "json, ndjson or csv; by default from the file's extension." };
        format.AcceptOnlyFromAmong("json", "ndjson", "csv");
        var batchSize = new Option<int>("--batch-size") { Description = $"Records per request (1 to {UsageLimits.MaxRecords}).", DefaultValueFactory = _ => 1000 };
        var noProgress = new Option<bool>("--no-progress") { Description = "Draw no progress bar (there is none anyway when standard error is not a terminal)." };
        var command = new Command("post",
            "Posts usage records in batches and prints how many were accepted, duplicate, conflicting or rejected, naming the first problems. " +
            "Exit code 0 when every record is stored (accepted or duplicate), 1 when any was rejected or conflicted or the server refused the file.")
        {
            file, format, batchSize, noProgress,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var size = parsed.GetValue(batchSize);
            if (size is < 1 or > UsageLimits.MaxRecords)
            {
                throw new CliFailure($"--batch-size must be 1 to {UsageLimits.MaxRecords}; it is {size}.");
            }

            var path = parsed.GetValue(file)!;
            var form = parsed.GetValue(format) ?? FormOf(path);
            var batches = Split(await File.ReadAllTextAsync(path.FullName, cancellationToken), form, size);
            var total = batches.Sum(b => b.Count);
            using var api = ApiClient.ForTransfers(environment, parsed.GetValue(server)!);
            var results = new List<UsageRecordResult>(total);
            var progress = parsed.GetValue(noProgress) ? null : environment.ProgressConsole;
            await WithProgressAsync(progress, $"Posting {path.Name}", total, async advance =>
            {
                foreach (var batch in batches)
                {
                    var answer = await SendAsync(api, batch, cancellationToken);
                    results.AddRange(answer.Items.Select(i => i with { Index = i.Index + batch.First }));
                    advance(batch.Count);
                }
            });

            var summary = UsageBatchResult.Of(results);
            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Posted {summary.TotalCount} record(s) from {path.Name} in {batches.Count} batch(es): {summary.Accepted} accepted, {summary.Duplicates} duplicate, {summary.Conflicts} conflict, {summary.Rejected} rejected."));
            var problems = results.Where(r => r.Status is UsageStatus.Rejected or UsageStatus.Conflict).ToList();
            foreach (var problem in problems.Take(ProblemsShown))
            {
                var id = problem.Id is null ? string.Empty : $" (id '{problem.Id}')";
                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  record {problem.Index + 1}{id}: {problem.Status}, {problem.Field} [{problem.Code}]: {problem.Description}"));
            }

            if (problems.Count > ProblemsShown)
            {
                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {problems.Count - ProblemsShown} more"));
            }

            return problems.Count == 0 ? 0 : CliRun.Failed;
        }));
        return command;
    }

    private static string FormOf(FileInfo file) => file.Extension.ToLowerInvariant() switch
    {
        ".json" => "json",
        ".ndjson" or ".jsonl" => "ndjson",
        ".csv" => "csv",
        _ => throw new CliFailure($"Cannot tell the format of {file.Name} from its extension; give --format json, ndjson or csv."),
    };

    /// <summary>Splits the file into bodies of at most <paramref name="size"/> records in the same form, so the server reads each as the file's own.</summary>
    private static List<Batch> Split(string text, string form, int size)
    {
        var records = new List<string>();
        string mediaType;
        string? header = null;
        switch (form)
        {
            case "json":
                mediaType = UsageBatchReader.Json;
                try
                {
                    using var document = JsonDocument.Parse(text);
                    if (document.RootElement.ValueKind != JsonValueKind.Array)
                    {
                        throw new CliFailure("The JSON file must be an array of usage records.");
                    }

                    records.AddRange(document.RootElement.EnumerateArray().Select(e => e.GetRawText()));
                }
                catch (JsonException e)
                {
                    throw new CliFailure($"The file is not valid JSON: {e.Message}");
                }

                break;
            case "ndjson":
                mediaType = UsageBatchReader.Ndjson;
                records.AddRange(text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0));
                break;
            default:
                mediaType = UsageBatchReader.Csv;
                using (var reader = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).FromText(text.TrimStart('\uFEFF')))
                {
                    foreach (var row in reader)
                    {
                        var line = row.Span.ToString();
                        if (header is null)
                        {
                            header = line;
                        }
                        else if (line.Length > 0)
                        {
                            records.Add(line);
                        }
                    }
                }

                if (header is null)
                {
                    throw new CliFailure("The CSV file is empty; its first row must be the header Id,EntitlementId,ResourceUri,MeterId,UsageDate,Quantity.");
                }

                break;
        }

        var batches = new List<Batch>();
        for (var first = 0; first < records.Count; first += size)
        {
            var chunk = records.Skip(first).Take(size).ToList();
            var body = form switch
            {
                "json" => "[" + string.Join(",\n", chunk) + "]",
                "ndjson" => string.Join('\n', chunk) + "\n",
                _ => header + "\r\n" + string.Join("\r\n", chunk) + "\r\n",
            };
            batches.Add(new Batch(body, mediaType, first, chunk.Count));
        }

        return batches;
    }

    /// <summary>Sends one batch; a batch without an answer (no connection, 429, 5xx) is sent again, which the record ids make safe.</summary>
    private static async Task<UsageBatchResult> SendAsync(ApiClient api, Batch batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/usage") { Content = new StringContent(batch.Body, new UTF8Encoding(false)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(batch.MediaType) { CharSet = "utf-8" };
            HttpResponseMessage response;
            try
            {
                response = await api.SendRawAsync(request, cancellationToken);
            }
            catch (CliFailure failure) when (failure.NoAnswer && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
                continue;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return JsonSerializer.Deserialize<UsageBatchResult>(text, PaygoJson.Options)
                        ?? throw new CliFailure("The server's answer to a usage batch was empty.");
                }

                if ((response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500) && attempt < Attempts)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt), cancellationToken);
                    continue;
                }

                var failure = ApiClient.FailureOf(response, text);
                throw new CliFailure(string.Create(CultureInfo.InvariantCulture, $"Records {batch.First + 1} to {batch.First + batch.Count}: {failure.Message}"), failure.Fields);
            }
        }
    }

    private static async Task WithProgressAsync(IAnsiConsole? console, string description, int total, Func<Action<int>, Task> work)
    {
        if (console is null)
        {
            await work(_ => { });
            return;
        }

        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                await work(n => task.Increment(n));
                task.Value = task.MaxValue;
                task.StopTask();
            });
    }
}
