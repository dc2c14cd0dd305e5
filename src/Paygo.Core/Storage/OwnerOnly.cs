namespace Paygo.Core.Storage;

/// <summary>
/// Folders that hold secrets (the data directory, its <c>keys/</c>): created readable by the
/// server's user only (0700) on Linux and macOS, never with the umask's 0755, whoever creates
/// them first (the server, <c>paygo admin bootstrap</c>, <c>paygo db migrate</c>).
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and missing parents) owner-only; an existing folder keeps its mode.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, Folder);
        }
    }
}
