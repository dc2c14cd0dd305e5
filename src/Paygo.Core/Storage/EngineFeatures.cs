namespace Paygo.Core.Storage;

/// <summary>
/// An engine's implementations of features' storage interfaces (a feature that needs a
/// database-specific fast path declares an interface in its folder and each Data project adds
/// its implementation here), so <see cref="IStorageEngine"/> itself names no feature.
/// </summary>
public sealed class EngineFeatures
{
    private readonly Dictionary<Type, object> _features = [];

    public EngineFeatures Add<TFeature>(TFeature implementation)
        where TFeature : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        _features.Add(typeof(TFeature), implementation);
        return this;
    }

    /// <summary>The implementation; throws when the engine has none (a Data project missed a feature, which its tests show).</summary>
    public TFeature Get<TFeature>(string engine)
        where TFeature : class =>
        _features.TryGetValue(typeof(TFeature), out var feature)
            ? (TFeature)feature
            : throw new NotSupportedException($"The {engine} engine does not implement {typeof(TFeature).Name}.");
}
