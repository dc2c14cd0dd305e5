using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary>
/// Every <c>paygo ...</c> command in README.md's shell blocks, run in order through the CLI
/// against a demo server, as a newcomer would type them in the clone's root. Only the
/// placeholders the README names are filled in: <c>&lt;code&gt;</c> with what the previous
/// <c>paygo demo code</c> printed, <c>&lt;customerId&gt;</c> with the id <c>customers create</c>
/// printed. Relative paths are taken from the clone's root; <c>--out</c> files go to a
/// temporary folder. Any command exiting non-zero fails the test.
/// </summary>
public sealed partial class ReadmeCommandTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EveryReadmeCommand_RunsAsWritten(string engine)
    {
        var root = RepositoryRoot();
        var commands = Commands(await File.ReadAllTextAsync(Path.Combine(root, "README.md"), TestContext.Current.CancellationToken));
        Assert.Contains(commands, c => c.StartsWith("paygo login ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("paygo customers create ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("paygo prices import ", StringComparison.Ordinal));

        // With the demo month, as `dotnet run` seeds it: the README closes the previous month and reads its invoices.
        await using var server = await PaygoServer.StartAsync(engine, settings: new Dictionary<string, string?> { ["demo-month"] = "true" });
        using (server.CreateAnonymousClient())
        {
            // Started: the demo instance's demo-credentials.json is in its data directory.
        }

        var scratch = Directory.CreateTempSubdirectory("paygo-readme-").FullName;
        var config = Directory.CreateDirectory(Path.Combine(scratch, "config")).FullName;
        var production = Path.Combine(scratch, "production-data");
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["<previous-month>"] = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
        var written = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var command in commands)
            {
                var args = Arguments(command)[1..];
                for (var i = 0; i < args.Length; i++)
                {
                    foreach (var (name, value) in placeholders)
                    {
                        args[i] = args[i].Replace(name, value, StringComparison.Ordinal);
                    }

                    Assert.False(PlaceholderPattern().IsMatch(args[i]), $"'{command}' has a placeholder the README never filled: {args[i]}");
                    if (args[i].StartsWith("samples/", StringComparison.Ordinal))
                    {
                        args[i] = Path.Combine(root, args[i]);
                    }
                    else if (i > 0 && args[i - 1] == "--out")
                    {
                        written.Add(args[i]);
                        args[i] = Path.Combine(scratch, args[i]);
                    }
                    else if (written.Contains(args[i]))
                    {
                        // A file an earlier command wrote (e.g. paygo rate's output that paygo reconcile reads).
                        args[i] = Path.Combine(scratch, args[i]);
                    }
                }

                // Local admin commands are shown for a production instance: a data directory of its own.
                var variables = new Dictionary<string, string>
                {
                    ["PAYGO_CONFIG_DIR"] = config,
                    ["PAYGO_DATA_DIR"] = args is ["admin", ..] ? production : server.Database.DataDirectory,
                };
                var (exitCode, output, error) = await CliRunner.RunAsync(server, variables, args);
                Assert.True(exitCode == 0, $"README command failed (exit {exitCode}): {command}\n{error}\n{output}");

                if (args is ["demo", "code", ..])
                {
                    placeholders["<code>"] = output.Trim();
                }
                else if (args is ["customers", "create", ..])
                {
                    placeholders["<customerId>"] = GuidPattern().Match(output).Value;
                }
                else if (args is ["invoices", "list", ..])
                {
                    placeholders["<invoiceNumber>"] = InvoiceNumberPattern().Match(output).Value;
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task EveryRepositoryPathTheReadmeNames_Exists()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"), TestContext.Current.CancellationToken);

        var paths = RepositoryPathPattern().Matches(readme).Select(m => m.Value.TrimEnd('.', ',', ')')).Distinct().ToList();

        Assert.NotEmpty(paths);
        Assert.All(paths, path => Assert.True(
            File.Exists(Path.Combine(root, path)) || Directory.Exists(Path.Combine(root, path)) || path.Contains('*', StringComparison.Ordinal),
            $"README.md names {path}, which the repository does not have."));
        Assert.DoesNotContain("../shared", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFileAnHttpExampleSends_Exists()
    {
        // Pricing.http once sent ./pricelist-us-202611.csv, which no clone has.
        var root = RepositoryRoot();
        var sent = Directory.GetFiles(Path.Combine(root, "src"), "*.http", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file)
                .Where(line => line.StartsWith("< ", StringComparison.Ordinal))
                .Select(line => (File: file, Body: Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, line[2..].Trim())))))
            .ToList();

        Assert.NotEmpty(sent);
        Assert.All(sent, s => Assert.True(File.Exists(s.Body), $"{Path.GetFileName(s.File)} sends {s.Body}, which does not exist."));
    }

    [Fact]
    public async Task DotnetRunOfTheCli_ReadsTheDataFolderWhereItWasTyped()
    {
        // The README's alias, `dotnet run --project src/Paygo.Cli --`, typed in the clone's root:
        // ./data and samples/ must be the root's, not src/Paygo.Cli's.
        var root = RepositoryRoot();
        var caller = Directory.CreateTempSubdirectory("paygo-cli-run-").FullName;
        Directory.CreateDirectory(Path.Combine(caller, "data"));
        await File.WriteAllTextAsync(
            Path.Combine(caller, "data", "demo-credentials.json"),
            """{"users":[{"email":"someone@example.com","totpSecret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}]}""",
            TestContext.Current.CancellationToken);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "-c", configuration, "--project", Path.Combine(root, "src", "Paygo.Cli"), "--", "demo", "code", "someone@example.com"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = caller,
        };
        try
        {
            using var cli = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var output = cli.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = cli.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            await cli.WaitForExitAsync(timeout.Token);

            Assert.True(cli.ExitCode == 0, await error);
            Assert.Matches("^[0-9]{6}$", (await output).Trim());
        }
        finally
        {
            Directory.Delete(caller, recursive: true);
        }
    }

    /// <summary>The <c>paygo</c> lines of the README's sh blocks, continuation lines joined.</summary>
    internal static List<string> Commands(string readme)
    {
        var commands = new List<string>();
        var inShell = false;
        var line = new StringBuilder();
        foreach (var raw in readme.Split('\n'))
        {
            var text = raw.TrimEnd('\r');
            if (text.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = !inShell && text.Trim() == "```sh";
                continue;
            }

            if (!inShell)
            {
                continue;
            }

            line.Append(text.TrimEnd().TrimEnd('\\').Trim()).Append(' ');
            if (text.TrimEnd().EndsWith('\\'))
            {
                continue;
            }

            var command = line.ToString().Trim();
            line.Clear();
            if (command.StartsWith("paygo ", StringComparison.Ordinal))
            {
                commands.Add(command);
            }
        }

        return commands;
    }

    /// <summary>Splits a command line as a POSIX shell would for these commands: blanks, single and double quotes.</summary>
    internal static string[] Arguments(string command)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            args.Add(current.ToString());
        }

        return [.. args];
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }

    [GeneratedRegex("<[A-Za-z]+>")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex("G[0-9]{9}")]
    private static partial Regex InvoiceNumberPattern();

    // Paths into the clone the README points at: samples/..., docs/..., src/..., tests/...
    [GeneratedRegex(@"(?<![\w/.])(?:samples|docs|src|tests)/[\w.*/\-]*")]
    private static partial Regex RepositoryPathPattern();
}
