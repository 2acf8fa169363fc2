namespace HaInfra.Synthesis.Document;

/// <summary>One resource of the program: logical name, provider type token, properties and resource options.</summary>
public sealed record Resource(string Name, string Type, PMap Properties, PMap Options)
{
    public PRef Ref => new(Name);

    public PRef this[string output] => new(Name, output);

    /// <summary>The package part of the type token: "aws" for aws:ec2:Instance and for pulumi:providers:aws.</summary>
    public string Package => PackageOf(Type);

    public bool IsProvider => Type.StartsWith("pulumi:providers:", StringComparison.Ordinal);

    public static string PackageOf(string type) =>
        type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? type["pulumi:providers:".Length..] : type.Split(':')[0];
}
