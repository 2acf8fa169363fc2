using HaInfra.Synthesis.Checks;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Tests;

/// <summary>The self-checks, each fed a program broken in one way.</summary>
public class CheckTests
{
    private static readonly PMap AwsProvider = P.Map(("type", "pulumi:providers:aws"), ("properties", P.Map(("region", "eu-west-1"))), ("options", P.Map(("version", ProviderVersions.Aws))));

    private static PMap Program(PMap resource, params (string Key, PValue? Value)[] top) =>
        P.Map([("name", "hainfra"), ("resources", P.Map(("aws_eu", AwsProvider), ("thing", resource))), .. top]);

    private static PMap Vpc(PMap? properties = null, PMap? options = null) => P.Map(
        ("type", "aws:ec2:Vpc"),
        ("properties", properties ?? P.Map(("cidrBlock", "10.0.0.0/16"))),
        ("options", options ?? P.Map(("provider", new PRef("aws_eu")))));

    private static string Single(PMap program, IReadOnlyCollection<string>? secrets = null)
    {
        var problems = TemplateChecks.Check(program, secrets ?? []);
        Assert.True(problems.Count == 1, $"expected one problem, got: {string.Join(" | ", problems)}");
        return problems[0];
    }

    [Fact]
    public void A_valid_program_passes() => Assert.Empty(TemplateChecks.Check(Program(Vpc()), []));

    [Fact]
    public void Every_example_stack_passes()
    {
        foreach (var stack in new[] { "dev", "staging", "prod", "azure-staging", "azure-prod" })
        {
            Assert.Empty(TemplateChecks.Check(Synth.Tree(stack), []));
        }
    }

    [Fact]
    public void Misspelled_top_level_key() => Assert.Contains("'resource'", Single(P.Map(("name", "x"), ("resource", PMap.Empty))));

    [Fact]
    public void Unknown_resource_key() =>
        Assert.Contains("resources.thing.propertes", Single(Program(P.Map(("type", "aws:ec2:Vpc"), ("propertes", PMap.Empty), ("options", P.Map(("provider", new PRef("aws_eu"))))))));

    [Fact]
    public void Unknown_option() =>
        Assert.Contains("options.provder", Single(Program(Vpc(options: P.Map(("provider", new PRef("aws_eu")), ("provder", new PRef("aws_eu")))))));

    [Fact]
    public void Bad_type_token() =>
        Assert.Contains("type token", Single(Program(P.Map(("type", "aws.ec2.Vpc"), ("options", P.Map(("provider", new PRef("aws_eu"))))))));

    [Fact]
    public void Unknown_function() =>
        Assert.Contains("fn::toJson is not", Single(Program(Vpc(P.Map(("cidrBlock", new PFunction("toJson", "x")))))));

    [Fact]
    public void Function_key_mixed_into_a_map() =>
        Assert.Contains("only key", Single(Program(Vpc(P.Map(("cidrBlock", P.Map(("fn::toJSON", "x"), ("other", 1))))))));

    [Fact]
    public void Reference_to_nothing() =>
        Assert.Contains("'missing'", Single(Program(Vpc(P.Map(("cidrBlock", new PRef("missing", "cidr")))))));

    [Fact]
    public void Aws_resource_without_explicit_provider() =>
        Assert.Contains("explicit pulumi:providers:aws", Single(Program(Vpc(options: PMap.Empty))));

    [Fact]
    public void Provider_of_another_package() =>
        Assert.Contains("explicit pulumi:providers:aws", Single(Program(Vpc(options: P.Map(("provider", new PRef("thing")))))));

    [Fact]
    public void Provider_with_an_unpinned_version()
    {
        var program = P.Map(("resources", P.Map(("aws_eu", P.Map(("type", "pulumi:providers:aws"), ("options", P.Map(("version", "6.0.0"))))))));
        Assert.Contains($"pinned aws version {ProviderVersions.Aws}", Single(program));
    }

    [Fact]
    public void Invoke_without_provider()
    {
        var invoke = new PFunction("invoke", P.Map(("function", "aws:ec2:getAmi"), ("arguments", PMap.Empty), ("return", "id")));
        Assert.Contains("options.provider", Single(Program(Vpc(P.Map(("cidrBlock", invoke))))));
    }

    [Fact]
    public void Depends_on_something_that_is_not_a_resource() =>
        Assert.Contains("dependsOn", Single(Program(Vpc(options: P.Map(("provider", new PRef("aws_eu")), ("dependsOn", P.List(new PRef("ami"))))), ("variables", P.Map(("ami", "ami-1"))))));

    [Fact]
    public void Literal_password_is_a_security_rule_violation()
    {
        var program = Program(Vpc(P.Map(("cidrBlock", "10.0.0.0/16"), ("masterPassword", "hunter2hunter2"))));
        var violation = Assert.Single(SecurityPolicy.Check(program));
        Assert.Equal("no-literal-credentials", violation.Rule.Id);
        Assert.Contains("masterPassword", violation.ToString());
    }

    [Fact]
    public void Secret_config_value_in_the_text()
    {
        const string secret = "s3cr3t-value-from-config";
        var problem = Single(Program(Vpc(P.Map(("cidrBlock", "10.0.0.0/16"), ("description", $"x {secret}")))), [secret]);
        Assert.Contains("secret config key", problem);
        Assert.DoesNotContain(secret, problem);
    }

    [Fact]
    public void Same_name_for_a_resource_and_a_variable()
    {
        var program = P.Map(("variables", P.Map(("aws_eu", 1))), ("resources", P.Map(("aws_eu", AwsProvider))));
        Assert.Contains("both a resource and a variable", Single(program));
    }
}
