using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Paygo.Server.Identity;

/// <summary>
/// The token server's RSA signing and encryption keys, created on first start in
/// <c>&lt;data dir&gt;/keys</c> (readable by the server's user only) and loaded on every start,
/// so tokens outlive a restart. Several nodes share the data directory's keys.
/// </summary>
internal static class OAuthKeys
{
    public static (SecurityKey Signing, SecurityKey Encryption) LoadOrCreate(string folder)
    {
        Directory.CreateDirectory(folder);
        return (Load(Path.Combine(folder, "oauth-signing.pem")), Load(Path.Combine(folder, "oauth-encryption.pem")));
    }

    private static RsaSecurityKey Load(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            var pem = rsa.ExportRSAPrivateKeyPem();
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, pem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, path, overwrite: false);
        }

        return new RsaSecurityKey(rsa) { KeyId = Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16] };
    }
}
