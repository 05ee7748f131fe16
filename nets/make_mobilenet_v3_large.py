import json
# torchvision mobilenet_v3_large: (kernel, expanded, out, se, act, stride)
cfg = [(3,16,16,False,'RE',1),(3,64,24,False,'RE',2),(3,72,24,False,'RE',1),
       (5,72,40,True,'RE',2),(5,120,40,True,'RE',1),(5,120,40,True,'RE',1),
       (3,240,80,False,'HS',2),(3,200,80,False,'HS',1),(3,184,80,False,'HS',1),(3,184,80,False,'HS',1),
       (3,480,112,True,'HS',1),(3,672,112,True,'HS',1),
       (5,672,160,True,'HS',2),(5,960,160,True,'HS',1),(5,960,160,True,'HS',1)]
def conv(i,o,k,s,act,bn=True,bias=False):
    return {"name":"ConvLayer","in_channels":i,"out_channels":o,"kernel_size":k,"stride":s,
            "dilation":1,"groups":1,"bias":bias,"has_shuffle":False,"use_bn":bn,"act_func":act,
            "dropout_rate":0,"ops_order":"weight_bn_act"}
blocks=[]; c=16
for k,e,o,se,act,s in cfg:
    ratio = e/c
    conv_cfg={"name":"MBConvLayer","in_channels":c,"out_channels":o,"kernel_size":k,"stride":s,
              "expand_ratio": int(ratio) if ratio==int(ratio) else ratio,"mid_channels":e,
              "act_func":"h_swish" if act=='HS' else "relu","use_se":se}
    sc = {"name":"IdentityLayer","in_channels":[c],"out_channels":[c],"use_bn":False,"act_func":None,
          "dropout_rate":0,"ops_order":"weight_bn_act"} if (s==1 and c==o) else None
    blocks.append({"name":"ResidualBlock","conv":conv_cfg,"shortcut":sc}); c=o
net={"name":"MobileNetV3","bn":{"momentum":0.1,"eps":0.001},
     "first_conv":conv(3,16,3,2,"h_swish"),"blocks":blocks,
     "final_expand_layer":conv(160,960,1,1,"h_swish"),
     "feature_mix_layer":conv(960,1280,1,1,"h_swish",bn=False,bias=True),
     "classifier":{"name":"LinearLayer","in_features":1280,"out_features":1000,"bias":True,
                   "use_bn":False,"act_func":None,"dropout_rate":0.2,"ops_order":"weight_bn_act"}}
print(json.dumps(net,indent=2))
