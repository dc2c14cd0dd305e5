namespace Paygo.Core.Common;

/// <summary>
/// The outcome of a Core operation as a value: the result, or the expected failure that stopped it.
/// Deconstructs to <c>(value, error)</c> like the tuples older services still return (docs/adr/0019).
/// </summary>
public sealed class Result<T>
    where T : class
{
    private Result(T? value, ApiError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ApiError? Error { get; }

    public bool Succeeded => Error is null;

#pragma warning disable CA2225 // Result.Success and Result.Failure are the named alternates.
    public static implicit operator Result<T>(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static implicit operator Result<T>(ApiError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));
#pragma warning restore CA2225

    public void Deconstruct(out T? value, out ApiError? error)
    {
        value = Value;
        error = Error;
    }
}

/// <summary>Named builders for <see cref="Result{T}"/>, where the implicit conversions do not read well.</summary>
public static class Result
{
    public static Result<T> Success<T>(T value)
        where T : class => value;

    public static Result<T> Failure<T>(ApiError error)
        where T : class => error;
}

/// <summary>What a create made: the resource, and where it can be read back (the server's <c>Location</c>).</summary>
public sealed record Created<T>(T Resource, string? Location)
    where T : class;
