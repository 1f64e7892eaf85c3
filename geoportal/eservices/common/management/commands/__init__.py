"""Commands of the e-services (load_eservices_sample): may import the e-services, staff, the law, the ground floor."""
