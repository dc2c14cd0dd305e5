using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Paygo.Cli.Hosting;
using Paygo.Core.Common;
using Paygo.Core.Pricing;
using Spectre.Console;

namespace Paygo.Cli.Pricing;

/// <summary>
/// Passes bytes through and reports how many went by, so a progress bar can follow an upload
/// read by HttpClient or a download written to a file without either being buffered whole.
/// </summary>
internal sealed class CountingStream(Stream inner, Action<long> counted) : Stream
{
    public override bool CanRead => inner.CanRead;

    // Seeking is passed through so StreamContent can send a Content-Length and rewind on a retry.
    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        counted(count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        counted(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    private int Counted(int read)
    {
        counted(read);
        return read;
    }
}

/// <summary>
/// Uploads and downloads of price list and FX files: streamed both ways (a list can be 200 MB),
/// with a progress bar on a terminal, and the import's refusal printed row by row.
/// </summary>
internal static class FileTransfer
{
    /// <summary>How many problems of a refused file are printed; the rest are counted.</summary>
    public const int ProblemsShown = 20;

    private const int BufferSize = 1 << 16;

    /// <summary>The console to draw a bar on, or null when there is no terminal or <c>--no-progress</c> was given.</summary>
    public static IAnsiConsole? ProgressConsole(CliEnvironment environment, bool noProgress) => noProgress ? null : environment.ProgressConsole;

    /// <summary>
    /// POSTs <paramref name="file"/> as a <c>text/csv</c> body read straight from disk and returns
    /// the answer's status and body (small JSON either way).
    /// </summary>
    public static async Task<(HttpStatusCode Status, string Body)> UploadAsync(
        ApiClient api, string path, FileInfo file, IAnsiConsole? progress, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var length = stream.Length;
        return await WithProgressAsync(progress, $"Uploading {file.Name}", length, async report =>
        {
            var sent = 0L;
            var counting = new CountingStream(stream, n =>
            {
                sent += n;
                report(n, sent >= length ? "Waiting for the server to check the file" : null);
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(counting, BufferSize) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };

            // A refusal that needs no body (not allowed, a bad month) then comes back before 200 MB are
            // sent, instead of the server closing the connection under a half-sent upload.
            request.Headers.ExpectContinue = true;
            using var response = await api.SendRawAsync(request, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        });
    }

    /// <summary>
    /// Prints a refused file's problems on standard error as <c>row N, column C: reason (value 'v')</c>,
    /// the first <see cref="ProblemsShown"/> and a count of the rest, and returns true; false when
    /// the body is another error, for the caller to report as usual.
    /// </summary>
    public static async Task<bool> PrintRefusalAsync(CliEnvironment environment, string body)
    {
        FileImportErrorBody? refused;
        try
        {
            refused = JsonSerializer.Deserialize<FileImportErrorBody>(body, PaygoJson.Options);
        }
        catch (JsonException)
        {
            return false;
        }

        if (refused is not { Code: PriceListStore.FileRefused, Data: not null })
        {
            return false;
        }

        await environment.Error.WriteLineAsync(refused.Description);
        foreach (var problem in refused.Data.Take(ProblemsShown))
        {
            var where = problem.Column is null
                ? string.Create(CultureInfo.InvariantCulture, $"row {problem.Row}")
                : string.Create(CultureInfo.InvariantCulture, $"row {problem.Row}, column {problem.Column}");
            var value = problem.Value is null ? string.Empty : $" (value '{problem.Value}')";
            await environment.Error.WriteLineAsync($"  {where}: {problem.Reason}{value}");
        }

        var shown = Math.Min(refused.Data.Count, ProblemsShown);
        if (refused.ProblemCount > shown)
        {
            await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {refused.ProblemCount - shown} more"));
        }

        return true;
    }

    /// <summary>
    /// GETs a file and streams it to <paramref name="outPath"/> (through a temporary file moved
    /// into place at the end, so a broken download never leaves a file that looks whole) or to
    /// standard output. Returns the bytes written. With <paramref name="acceptZip"/> the server
    /// may answer with a zip of the file (Partner Center's <c>Accept-Encoding: deflate</c>), which is
    /// downloaded to a temporary file and unpacked from there, never into memory.
    /// </summary>
    public static async Task<long> DownloadAsync(
        CliEnvironment environment, ApiClient api, string path, string? outPath, IAnsiConsole? progress, bool acceptZip, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptZip)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("deflate"));
        }

        using var response = await api.SendRawAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ApiClient.FailureOf(response, await response.Content.ReadAsStringAsync(cancellationToken));
        }

        // The bar is for a file: on standard output the data is the thing to watch.
        progress = outPath is null ? null : progress;
        var length = response.Content.Headers.ContentLength;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (!string.Equals(response.Content.Headers.ContentType?.MediaType, "application/zip", StringComparison.OrdinalIgnoreCase))
        {
            return await SaveAsync(environment, body, outPath, progress, "Downloading", length, cancellationToken);
        }

        var zipPath = Path.Combine(Path.GetTempPath(), $"paygo-download-{Guid.NewGuid():N}.zip");
        await using var zip = new FileStream(zipPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await WithProgressAsync(progress, "Downloading (zipped)", length, async report =>
        {
            await body.CopyToAsync(new CountingStream(zip, n => report(n, null)), BufferSize, cancellationToken);
            return 0;
        });
        zip.Position = 0;
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        if (archive.Entries is not [var entry])
        {
            throw new CliFailure($"The server's zip holds {archive.Entries.Count} files; one CSV was expected.");
        }

        await using var csv = entry.Open();
        return await SaveAsync(environment, csv, outPath, progress, "Unpacking", entry.Length, cancellationToken);
    }

    private static async Task<long> SaveAsync(
        CliEnvironment environment, Stream source, string? outPath, IAnsiConsole? progress, string label, long? length, CancellationToken cancellationToken)
    {
        if (outPath is null)
        {
            return await CopyToOutputAsync(environment, source, cancellationToken);
        }

        var full = Path.GetFullPath(outPath);
        var partial = full + ".partial";
        try
        {
            long written;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                written = await WithProgressAsync(progress, $"{label} {Path.GetFileName(full)}", length, async report =>
                {
                    await source.CopyToAsync(new CountingStream(file, n => report(n, null)), BufferSize, cancellationToken);
                    return file.Length;
                });
            }

            File.Move(partial, full, overwrite: true);
            return written;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>
    /// Standard output gets the bytes as they are; a captured writer (tests, a host) gets them
    /// decoded as UTF-8 without touching the line endings or a BOM.
    /// </summary>
    private static async Task<long> CopyToOutputAsync(CliEnvironment environment, Stream body, CancellationToken cancellationToken)
    {
        await environment.Output.FlushAsync(cancellationToken);
        if (environment.Output == Console.Out)
        {
            await using var stdout = Console.OpenStandardOutput();
            var counted = 0L;
            await body.CopyToAsync(new CountingStream(stdout, n => counted += n), BufferSize, cancellationToken);
            return counted;
        }

        using var reader = new StreamReader(body, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, BufferSize, leaveOpen: true);
        var buffer = new char[BufferSize];
        var total = 0L;
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await environment.Output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }

        return total;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a report callback (bytes moved, and a new description or
    /// null); draws a bar on <paramref name="console"/> when there is one, with the total when it is known.
    /// </summary>
    private static async Task<T> WithProgressAsync<T>(IAnsiConsole? console, string description, long? total, Func<Action<long, string?>, Task<T>> work)
    {
        if (console is null)
        {
            return await work((_, _) => { });
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var known = total is > 0;
                var task = context.AddTask(Markup.Escape(description), maxValue: known ? total!.Value : 1);
                task.IsIndeterminate = !known;
                var moved = 0L;
                var result = await work((bytes, newDescription) =>
                {
                    moved += bytes;
                    if (known)
                    {
                        task.Increment(bytes);
                    }
                    else
                    {
                        // Without a length the bar cannot fill, so the description counts the bytes.
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{description} ({moved / 1048576.0:0.0} MB)"));
                    }

                    if (newDescription is not null)
                    {
                        task.Description = Markup.Escape(newDescription);
                        task.IsIndeterminate = true;
                    }
                });
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
    }
}
