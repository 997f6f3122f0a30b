namespace Phoenix.Cli.Tests.Simulation;

/// <summary>
/// A test that explores rather than guards: it runs when PHOENIX_EXPLORE=1 and is skipped otherwise, saying why. The
/// adversarial property still finds failure classes the workflow does not handle yet (listed in the README's known
/// limitations and on issue 11); until they are fixed it cannot be a CI gate without failing at random.
/// </summary>
public sealed class ExplorationFactAttribute : FactAttribute
{
    public ExplorationFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PHOENIX_EXPLORE") != "1")
        {
            Skip = "Exploration: set PHOENIX_EXPLORE=1 to run it. It still finds open failure classes (README, known limitations).";
        }
    }
}
