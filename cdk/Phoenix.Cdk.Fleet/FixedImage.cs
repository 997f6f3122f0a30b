using Amazon.CDK.AWS.EC2;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace Phoenix.Cdk.Fleet;

/// <summary>
/// An AMI id for whichever region the stack lands in. CDK's GenericLinux needs a region-keyed map, which an
/// account-agnostic stack cannot key; phoenix:imageId names one image for the deployment region. A fleet starts from it
/// (its colours' image parameters' first value); the launch templates resolve the parameters, never this id.
/// </summary>
public sealed class FixedImage(string imageId) : DeputyBase, IMachineImage
{
    public IMachineImageConfig GetImage(Construct scope) => new MachineImageConfig
    {
        ImageId = imageId,
        OsType = OperatingSystemType.LINUX,
        UserData = UserData.ForLinux(),
    };
}
