using System.Text.Json.Nodes;
using HaInfra.Model.Config;

namespace HaInfra.Model.Tests;

/// <summary>A valid stack as raw config, for tests to break one thing at a time.</summary>
internal static class TestStacks
{
    public static Dictionary<string, JsonNode?> Valid() => new(StringComparer.Ordinal)
    {
        ["hainfra:cloud"] = "aws",
        ["hainfra:flavor"] = "mariadb",
        ["hainfra:version"] = "10.11",
        ["hainfra:tls"] = "true",
        ["hainfra:sites"] = JsonNode.Parse("""
            [
              { "name": "main", "kind": "primary", "region": "eu-west-1", "zones": ["eu-west-1a"],
                "hosts": [ { "name": "db1", "size": "small", "dataDiskGb": "20" },
                           { "name": "db1b", "size": "small", "dataDiskGb": "20" } ] },
              { "name": "az2", "kind": "same-city", "region": "eu-west-1", "zones": ["eu-west-1b"],
                "hosts": [ { "name": "db2", "size": "medium", "dataDiskGb": "50" } ] },
              { "name": "dr", "kind": "remote", "region": "eu-central-1", "zones": ["eu-central-1a", "eu-central-1b"],
                "hosts": [ { "name": "db3", "size": "large", "dataDiskGb": "100" },
                           { "name": "db4", "size": "large", "dataDiskGb": "100" } ] }
            ]
            """),
    };

    public static JsonObject Site(Dictionary<string, JsonNode?> config, int index) => (JsonObject)config["hainfra:sites"]![index]!;

    public static JsonObject Host(Dictionary<string, JsonNode?> config, int site, int host) => (JsonObject)Site(config, site)["hosts"]![host]!;

    public static LoadResult Load(Dictionary<string, JsonNode?> config, string stack = "test") =>
        TopologyLoader.Load(new RawStackConfig(stack, "test config", config, []));

    public static IReadOnlyList<ConfigError> Errors(Dictionary<string, JsonNode?> config)
    {
        var result = Load(config);
        Assert.False(result.Ok, "expected validation errors, got a valid topology");
        return result.Errors;
    }

    /// <summary>The single error at <paramref name="path"/>; fails if there is none or several.</summary>
    public static ConfigError ErrorAt(Dictionary<string, JsonNode?> config, string path)
    {
        var errors = Errors(config);
        var matching = errors.Where(e => e.Path == path).ToList();
        Assert.True(matching.Count == 1, $"expected one error at {path}, got: {string.Join(" | ", errors)}");
        Assert.False(string.IsNullOrWhiteSpace(matching[0].Fix));
        return matching[0];
    }
}
