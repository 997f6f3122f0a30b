# The image bake: the reference design's Packer template, driven by the Phoenix bake CodeBuild project
# (cdk/Phoenix.Cdk/PipelineStack.cs). Every value that differs per application or account is a variable, so one
# template serves every fleet; the project passes them as PKR_VAR_* environment variables (the buildspec passes
# application, commit and bake_tag with -var).
packer {
  required_plugins {
    # Pinned: `packer init` installs exactly this release (and checks it against the release's SHA256SUMS).
    amazon = {
      version = "= 1.3.9"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "application" {
  type        = string
  description = "Application name; becomes the image name prefix and the Application tag."
}

# No defaults below but commit's: the bake project sets every variable (PKR_VAR_*, from the CDK context), so the values
# live in one place (cdk/Phoenix.Cdk/PipelineStack.cs BakeVariables).
variable "environment" {
  type = string
}

variable "region" {
  type = string
}

variable "instance_type" {
  type = string
}

# Amazon Linux 2 (the reference design's base) reached end of support on 2026-06-30; Amazon Linux 2023 is its successor.
variable "source_ami_name" {
  type = string
}

variable "subnet_id" {
  type        = string
  description = "Subnet for the build instance; empty uses the default VPC."
}

# The bake role may stop, terminate or delete only what carries this tag (cdk/Phoenix.Cdk/LeastPrivilege.cs); the bake
# project sets it (PHOENIX_BAKE_TAG, the pipeline stack's name).
variable "bake_tag" {
  type = string
}

# Packer reaches the build instance through SSM Session Manager (no SSH port open anywhere): the instance needs a
# profile whose role may talk to SSM. The bake project sets it (PKR_VAR_iam_instance_profile).
variable "iam_instance_profile" {
  type = string
}

# key:value, the same setting (phoenix:approvedAmiTag) as the drift stack's APPROVED_AMIS_BY_TAG rule; the bake
# project sets it (PKR_VAR_approved_ami_tag).
variable "approved_ami_tag" {
  type = string
  validation {
    condition     = length(split(":", var.approved_ami_tag)) >= 2
    error_message = "The approved_ami_tag variable must be tag-key:tag-value."
  }
}

variable "commit" {
  type    = string
  default = "unknown"
}

locals {
  build_time = formatdate("YYYYMMDDhhmmss", timestamp())
  # What the image installs and what it must not carry; the drift stack's application rules read the same file.
  bake = jsondecode(file("${path.root}/bake-manifest.json"))
  approved_key   = split(":", var.approved_ami_tag)[0]
  approved_value = trimprefix(var.approved_ami_tag, "${split(":", var.approved_ami_tag)[0]}:")
}

source "amazon-ebs" "app" {
  ami_name      = "${var.application}-${local.build_time}"
  instance_type = var.instance_type
  region        = var.region
  subnet_id     = var.subnet_id

  source_ami_filter {
    filters = {
      name                = var.source_ami_name
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["amazon"]
    most_recent = true
  }

  # SSH runs inside an SSM Session Manager tunnel: with ssh_interface session_manager the plugin opens no ingress
  # rule on the temporary security group, so the build instance has no port 22 reachable from anywhere.
  communicator         = "ssh"
  ssh_username         = "ec2-user"
  ssh_interface        = "session_manager"
  iam_instance_profile = var.iam_instance_profile

  # The build instance obeys the same rules as the fleet: IMDSv2 only, encrypted root volume.
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
  # The root volume is encrypted at launch, so the image's snapshot is encrypted as it is taken: no unencrypted
  # intermediate image to copy, deregister and delete (encrypt_boot), which the bake role could not hold to its tag.
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = 20
    volume_type           = "gp3"
    encrypted             = true
    delete_on_termination = true
  }

  run_tags = {
    Name        = "${var.application}-bake"
    Application = var.application
    PhoenixBake = var.bake_tag
  }
  run_volume_tags = {
    Application = var.application
    PhoenixBake = var.bake_tag
  }
  snapshot_tags = {
    Application = var.application
    Commit      = var.commit
    PhoenixBake = var.bake_tag
  }

  tags = {
    Name        = "${var.application}-server"
    Environment = var.environment
    Application = var.application
    BuildTime   = local.build_time
    Commit      = var.commit
    # APPROVED_AMIS_BY_TAG (the drift stack) accepts only images carrying this tag.
    (local.approved_key) = local.approved_value
    PhoenixBake = var.bake_tag
  }
}

build {
  sources = ["source.amazon-ebs.app"]

  provisioner "shell" {
    environment_vars = [
      "PACKAGES=${join(" ", local.bake.packages)}",
      "FORBIDDEN=${join(" ", local.bake.forbidden)}"
    ]
    scripts = [
      "scripts/install-dependencies.sh",
      "scripts/configure-app.sh",
      "scripts/harden-os.sh"
    ]
  }

  provisioner "file" {
    source      = "configs/"
    destination = "/etc/app/"
  }

  # configure-app.sh hands /etc/app to the SSH user so the file provisioner can write it; give it back to root.
  provisioner "shell" {
    inline = ["sudo chown -R root:root /etc/app", "sudo chmod -R go-w /etc/app"]
  }

  post-processor "manifest" {
    output     = "manifest.json"
    strip_path = true
  }
}
