using System.Text.Json;
using Paygo.Core.Common;

namespace Paygo.Cli.Hosting;

/// <summary>Tokens of one server, as saved by <c>paygo login</c>.</summary>
internal sealed record SavedTokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Where <c>paygo login</c> keeps its tokens: <c>credentials.json</c> in <c>PAYGO_CONFIG_DIR</c>,
/// else <c>$XDG_CONFIG_HOME/paygo</c>, else <c>~/.config/paygo</c>; readable by the user only.
/// <c>PAYGO_TOKEN</c> overrides it for scripts.
/// </summary>
internal sealed class CredentialStore(CliEnvironment environment)
{
    private string Folder =>
        environment.Variable("PAYGO_CONFIG_DIR")
        ?? Path.Combine(environment.Variable("XDG_CONFIG_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "paygo");

    public string FilePath => Path.Combine(Folder, "credentials.json");

    public SavedTokens? Find(Uri server)
    {
        var all = ReadAll();
        return all.TryGetValue(Key(server), out var tokens) ? tokens : null;
    }

    public void Save(Uri server, SavedTokens tokens)
    {
        var all = ReadAll();
        all[Key(server)] = tokens;
        Directory.CreateDirectory(Folder);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(all, PaygoJson.Options));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    private Dictionary<string, SavedTokens> ReadAll()
    {
        if (!File.Exists(FilePath))
        {
            return new Dictionary<string, SavedTokens>(StringComparer.OrdinalIgnoreCase);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, SavedTokens>>(File.ReadAllText(FilePath), PaygoJson.Options)
                ?? new Dictionary<string, SavedTokens>(StringComparer.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            throw new CliFailure($"The credentials file {FilePath} is damaged; delete it and run paygo login again.");
        }
    }

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}
