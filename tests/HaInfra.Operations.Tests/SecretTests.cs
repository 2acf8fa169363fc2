namespace HaInfra.Operations.Tests;

public class SecretTests
{
    [Fact]
    public void A_secret_never_prints_its_value()
    {
        var secret = new Secret("hunter2hunter2");
        Assert.Equal("***", secret.ToString());
        Assert.Equal("password ***", $"password {secret}");
        Assert.Equal("hunter2hunter2", secret.Reveal());
    }

    [Fact]
    public void Generated_secrets_are_long_and_shell_safe()
    {
        var a = Secret.Generate().Reveal();
        var b = Secret.Generate().Reveal();
        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, b);
        Assert.Matches("^[A-Za-z0-9]+$", a);
    }
}
