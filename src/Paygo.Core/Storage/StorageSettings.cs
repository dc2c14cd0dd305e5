namespace Paygo.Core.Storage;

/// <summary>
/// The engine chosen, the connection string it was given, and the data directory whose
/// <c>keys/</c> folder holds the secrets kept outside the database (token and audit keys).
/// </summary>
public sealed record StorageSettings(IStorageEngine Engine, string ConnectionString, string DataDirectory = ".")
{
    public const string DatabaseFileName = "paygo.db";

    /// <summary>Where keys that must not live in the database are kept.</summary>
    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    public string Description => Engine.Describe(ConnectionString);

    /// <summary>
    /// Picks the engine: with a <paramref name="database"/> connection string, the engine that
    /// accepts it (PostgreSQL for <c>Host=...</c>, SQLite for <c>Data Source=...</c>); without one,
    /// the embedded SQLite file <c>paygo.db</c> in <paramref name="dataDirectory"/>.
    /// </summary>
    public static StorageSettings Choose(string? database, string dataDirectory, IStorageEngine sqlite, IReadOnlyList<IStorageEngine> engines)
    {
        ArgumentNullException.ThrowIfNull(sqlite);
        ArgumentNullException.ThrowIfNull(engines);
        if (string.IsNullOrWhiteSpace(database))
        {
            var path = Path.GetFullPath(Path.Combine(dataDirectory, DatabaseFileName));
            return new StorageSettings(sqlite, $"Data Source={path}", dataDirectory);
        }

        var engine = engines.FirstOrDefault(e => e.Accepts(database))
            ?? throw new ArgumentException("The database connection string names no engine Paygo knows: use 'Host=...;Database=...' for PostgreSQL or 'Data Source=<file>' for SQLite.");
        engine.Validate(database);
        return new StorageSettings(engine, database, dataDirectory);
    }
}
