using Amazon.CDK;
using Phoenix.Cdk;

var app = new App();
PhoenixApp.Build(app);
app.Synth();
