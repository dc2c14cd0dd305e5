using Paygo.Core.Storage;

namespace Paygo.Server.Hosting;

/// <summary>
/// The data directory holds the SQLite database, the token and Data Protection keys and, for a
/// demo instance, every demo user's password and TOTP secret: on Linux and macOS only the
/// server's user may enter it. Created before anything writes into it (the OAuth keys are
/// loaded while the host is built), so no folder of it is ever created with the umask's 0755.
/// </summary>
internal static class DataDirectory
{
    public const string KeysFolder = "keys";

    /// <summary>Creates the data directory and its keys folder, owner-only; existing folders keep the mode their owner gave them.</summary>
    public static void Create(string dataDirectory)
    {
        OwnerOnly.CreateDirectory(dataDirectory);

        // The keys folder is Paygo's own: tightened even when an older version created it.
        var keys = Path.Combine(dataDirectory, KeysFolder);
        OwnerOnly.CreateDirectory(keys);
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(keys) != OwnerOnly.Folder)
        {
            File.SetUnixFileMode(keys, OwnerOnly.Folder);
        }
    }
}
