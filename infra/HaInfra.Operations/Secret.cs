namespace HaInfra.Operations;

/// <summary>
/// A password or key. It prints as "***" everywhere (logs, exceptions, interpolated strings); code that
/// needs the value must call <see cref="Reveal"/>, which makes each use visible in review.
/// </summary>
public sealed class Secret
{
    private readonly string _value;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    public string Reveal() => _value;

    public override string ToString() => "***";

    /// <summary>A random password of letters and digits: safe inside SQL literals, shells and URLs.</summary>
    public static Secret Generate(int length = 32)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return new Secret(System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, length));
    }
}
